/// Encodes one column of one row group into pages (data page v1), choosing per column
/// the smaller of the encodings it knows, and compressing page bodies with LZ4_RAW.
///
/// A v1 data page body is: repetition levels (none: the schema is flat), definition
/// levels for optional columns (4-byte little-endian length, then RLE hybrid with bit
/// width 1), then the values (README, "Data Pages"). The whole body is compressed.
enum ParquetColumnEncoder {
    /// Rows per data page: keeps pages near a megabyte for 8-byte values.
    static let pageRows = 128 * 1024
    /// A double column gets a dictionary only below this many distinct values.
    static let maxDictionaryEntries = 1 << 16

    /// Encodes `data` (for `rowCount` rows) as a column chunk of `spec`.
    static func encode(_ data: ParquetColumnData, spec: ParquetColumnSpec, rowCount: Int,
                       codec: ParquetCodec = .lz4Raw) throws(ParquetWriterError) -> ParquetColumnChunk {
        let present = data.present
        guard (present == nil) == (spec.repetition == .required) else {
            throw ParquetWriterError("column \(spec.name): presence flags must be given exactly for optional columns")
        }
        let nonNull = present.map { $0.reduce(0) { $1 ? $0 + 1 : $0 } } ?? rowCount
        guard nonNull == data.values.count, present.map({ $0.count == rowCount }) ?? true else {
            throw ParquetWriterError("column \(spec.name): \(data.values.count) values for \(nonNull) present rows of \(rowCount)")
        }
        var chunk = ParquetColumnChunk(bytes: [], spec: spec, encodings: [], codec: codec, valueCount: rowCount,
                                       uncompressedSize: 0, dataPageOffset: 0, dictionaryPageOffset: nil,
                                       statistics: ParquetStatistics(nullCount: rowCount - nonNull))
        var encodings: Set<Int32> = [ParquetEncoding.rle.rawValue]
        // Picks the value encoding and, for dictionaries, the dictionary page body.
        let plan = ValuePlan(data.values, unsigned: spec.annotation == .uint64)
        if let dictionary = plan.dictionaryPage {
            chunk.dictionaryPageOffset = 0
            try appendPage(type: .dictionaryPage, body: dictionary.body, valueCount: dictionary.count, encoding: .plain,
                           codec: codec, to: &chunk)
            encodings.insert(ParquetEncoding.plain.rawValue)
        }
        chunk.dataPageOffset = chunk.bytes.count
        encodings.insert(plan.encoding.rawValue)
        var row = 0, value = 0
        var body = ByteWriter()
        repeat {
            let rows = min(pageRows, rowCount - row)
            var values = rows
            body.reset()
            if let present {
                values = 0
                for r in row..<(row + rows) where present[r] { values += 1 }
                var levels = ByteWriter()
                RLEHybridEncoder.encode(count: rows, bitWidth: 1, into: &levels) { present[row + $0] ? 1 : 0 }
                body.appendU32(UInt32(levels.count))
                body.append(levels.bytes)
            }
            plan.appendValues(value..<(value + values), into: &body)
            try appendPage(type: .dataPage, body: body.bytes, valueCount: rows, encoding: plan.encoding, codec: codec, to: &chunk)
            row += rows
            value += values
        } while row < rowCount
        chunk.encodings = encodings.sorted().compactMap(ParquetEncoding.init(rawValue:))
        chunk.statistics = plan.statistics(nullCount: rowCount - nonNull)
        return chunk
    }

    /// Appends a page header and the (compressed) body.
    private static func appendPage(type: ParquetPageType, body: [UInt8], valueCount: Int, encoding: ParquetEncoding,
                                   codec: ParquetCodec, to chunk: inout ParquetColumnChunk) throws(ParquetWriterError) {
        var stored = ByteWriter()
        if codec == .lz4Raw {
            let ok = body.withUnsafeBytes { LZ4Block.compress($0, into: &stored) }
            guard ok else { throw ParquetWriterError("column \(chunk.spec.name): a page of \(body.count) bytes is too large to compress") }
        } else {
            stored.append(body)
        }
        guard body.count <= Int32.max, stored.count <= Int32.max else {
            throw ParquetWriterError("column \(chunk.spec.name): a page exceeds 2 GiB")
        }
        // parquet.thrift `PageHeader`: 1 type, 2 uncompressed_page_size, 3 compressed_page_size,
        // 5 data_page_header / 7 dictionary_page_header.
        var header = ThriftCompactWriter()
        header.i32(1, type.rawValue)
        header.i32(2, Int32(body.count))
        header.i32(3, Int32(stored.count))
        if type == .dataPage {
            // `DataPageHeader`: 1 num_values (nulls included), 2 encoding,
            // 3 definition_level_encoding, 4 repetition_level_encoding.
            header.beginStruct(5)
            header.i32(1, Int32(valueCount))
            header.i32(2, encoding.rawValue)
            header.i32(3, ParquetEncoding.rle.rawValue)
            header.i32(4, ParquetEncoding.rle.rawValue)
            header.endStruct()
        } else {
            // `DictionaryPageHeader`: 1 num_values, 2 encoding (PLAIN).
            header.beginStruct(7)
            header.i32(1, Int32(valueCount))
            header.i32(2, ParquetEncoding.plain.rawValue)
            header.endStruct()
        }
        let headerBytes = header.finish()
        chunk.bytes.append(contentsOf: headerBytes)
        chunk.bytes.append(contentsOf: stored.bytes)
        chunk.uncompressedSize += headerBytes.count + body.count
    }
}
