/// Writes a Parquet file with a flat schema, one row group at a time, through a sink,
/// so memory holds one row group however large the file grows.
///
/// Layout (README, "File Format"): `PAR1`, the column chunks of each row group in turn,
/// the Thrift-compact `FileMetaData`, its length as a 4-byte little-endian integer, `PAR1`.
struct ParquetFileWriter {
    let columns: [ParquetColumnSpec]
    /// Writer name in `FileMetaData.created_by`.
    var createdBy = "chunkstore version 0.1.0"
    private let sink: ([UInt8]) throws -> Void
    private var offset = 0
    private var buffers = ParquetColumnEncoder.Buffers()
    private var rowGroups: [(rows: Int, offset: Int, chunks: [(chunk: ParquetColumnChunk, offset: Int)])] = []

    /// Writes the leading magic through `sink`.
    init(columns: [ParquetColumnSpec], sink: @escaping ([UInt8]) throws -> Void) throws {
        self.columns = columns
        self.sink = sink
        try write(ParquetConstants.magic)
    }

    private mutating func write(_ bytes: [UInt8]) throws {
        try sink(bytes)
        offset += bytes.count
    }

    /// Number of rows written so far.
    var rowCount: Int { rowGroups.reduce(0) { $0 + $1.rows } }

    /// Encodes and writes one row group: one ``ParquetColumnData`` per column, in schema order.
    /// Data pages also start at each row of `pageBreaks`; `codec` nil lets each column
    /// chunk choose LZ4_RAW or UNCOMPRESSED (see ``ParquetColumnEncoder``).
    mutating func writeRowGroup(_ data: [ParquetColumnData], rowCount: Int, pageBreaks: [Int] = [],
                                codec: ParquetCodec? = .lz4Raw) throws {
        guard data.count == columns.count else {
            throw ParquetWriterError("a row group has \(data.count) columns, the schema \(columns.count)")
        }
        guard rowCount > 0 else { return }
        let start = offset
        var chunks: [(ParquetColumnChunk, Int)] = []
        for (spec, column) in zip(columns, data) {
            var chunk = try ParquetColumnEncoder.encode(column, spec: spec, rowCount: rowCount, pageBreaks: pageBreaks,
                                                        codec: codec, buffers: &buffers)
            let at = offset
            try write(chunk.bytes)
            // The footer needs only the metadata: memory stays at one column chunk.
            chunk.bytes = []
            chunks.append((chunk, at))
        }
        rowGroups.append((rowCount, start, chunks))
    }

    /// Writes the footer. The writer must not be used afterwards.
    mutating func finish() throws {
        let footer = ParquetFooter.encode(columns: columns, rowGroups: rowGroups.map { group in
            ParquetFooter.RowGroup(rows: group.rows, offset: group.offset,
                                   chunks: group.chunks.map { ParquetFooter.Chunk(chunk: $0.chunk, offset: $0.offset) })
        }, createdBy: createdBy)
        var tail = ByteWriter()
        tail.append(footer)
        tail.appendU32(UInt32(footer.count))
        tail.append(ParquetConstants.magic)
        try write(tail.bytes)
    }
}
