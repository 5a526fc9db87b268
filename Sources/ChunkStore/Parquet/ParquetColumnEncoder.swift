/// Encodes one column of one row group into pages (data page v1), choosing per column
/// the smaller of the encodings it knows, and compressing page bodies with LZ4_RAW where
/// that pays.
///
/// A v1 data page body is: repetition levels (none: the schema is flat), definition
/// levels for optional columns (4-byte little-endian length, then RLE hybrid with bit
/// width 1), then the values (README, "Data Pages"). The whole body is compressed.
enum ParquetColumnEncoder {
    /// Rows per data page of a dictionary-encoded double column: small pages get narrow
    /// index widths (see ``ValuePlan``) for about 20 bytes of page header each (2,048 packed
    /// Bench's meter data smallest of 1,024 to 8,192).
    static let dictionaryPageRows = 2048
    /// Rows per data page otherwise (strings included: the device column is one run per
    /// page): each page restarts its encoding, so they are larger.
    static let pageRows = 32 * 1024
    /// A double column gets a dictionary only below this many distinct values.
    static let maxDictionaryEntries = 1 << 16
    /// With automatic compression, LZ4_RAW is used when it saves at least this fraction
    /// of the sampled pages (else the chunk is stored UNCOMPRESSED, which reads faster).
    static let minimumCompressionSaving = 0.03

    /// Encodes `data` (for `rowCount` rows) as a column chunk of `spec`. A data page also
    /// starts at each row of `pageBreaks` (ascending), such as where the device changes,
    /// so that delta runs never span two devices. `codec` nil chooses LZ4_RAW or
    /// UNCOMPRESSED from the dictionary page and the first data page.
    static func encode(_ data: ParquetColumnData, spec: ParquetColumnSpec, rowCount: Int, pageBreaks: [Int] = [],
                       codec: ParquetCodec? = .lz4Raw) throws(ParquetWriterError) -> ParquetColumnChunk {
        var buffers = Buffers()
        return try encode(data, spec: spec, rowCount: rowCount, pageBreaks: pageBreaks, codec: codec, buffers: &buffers)
    }

    /// Working memory kept from one column chunk to the next, so that encoding a file does
    /// not allocate per page. A returned chunk's bytes share ``chunk`` until dropped.
    struct Buffers {
        var chunk: [UInt8] = []
        var body = ByteWriter()
        var compressed: [UInt8] = []
    }

    /// ``encode(_:spec:rowCount:pageBreaks:codec:)`` with reusable buffers.
    static func encode(_ data: ParquetColumnData, spec: ParquetColumnSpec, rowCount: Int, pageBreaks: [Int],
                       codec: ParquetCodec?, buffers: inout Buffers) throws(ParquetWriterError) -> ParquetColumnChunk {
        let present = data.present
        guard (present == nil) == (spec.repetition == .required) else {
            throw ParquetWriterError("column \(spec.name): presence flags must be given exactly for optional columns")
        }
        let nonNull = present.map { $0.reduce(0) { $1 ? $0 + 1 : $0 } } ?? rowCount
        guard nonNull == data.values.count, present.map({ $0.count == rowCount }) ?? true else {
            throw ParquetWriterError("column \(spec.name): \(data.values.count) values for \(nonNull) present rows of \(rowCount)")
        }
        // Picks the value encoding and, for dictionaries, the dictionary page body.
        let plan = ValuePlan(data.values, unsigned: spec.annotation == .uint64)
        let maxRows = plan.encoding == .rleDictionary && spec.type == .double ? dictionaryPageRows : pageRows
        var encodings: Set<Int32> = [ParquetEncoding.rle.rawValue, plan.encoding.rawValue]
        buffers.chunk.removeAll(keepingCapacity: true)
        var body = buffers.body
        buffers.body = ByteWriter()
        defer { buffers.body = body }
        var row = 0, value = 0, nextBreak = 0
        /// Encodes the next page's body; returns its row count.
        func nextPage() -> Int {
            while nextBreak < pageBreaks.count && pageBreaks[nextBreak] <= row { nextBreak += 1 }
            let limit = nextBreak < pageBreaks.count ? pageBreaks[nextBreak] : rowCount
            let rows = min(maxRows, limit - row, rowCount - row)
            var values = rows
            body.reset()
            if let present {
                values = present[row..<(row + rows)].withUnsafeBufferPointer { p in
                    var n = 0
                    for flag in p where flag { n += 1 }
                    return n
                }
                let lengthAt = body.count
                body.appendU32(0)
                if values == rows && rows > 0 {
                    // No nulls: one repeated run of level 1 (the common case, without a scan).
                    body.appendUVarint(UInt64(rows) << 1)
                    body.appendU8(1)
                } else {
                    let first = row
                    present.withUnsafeBufferPointer { p in
                        RLEHybridEncoder.encode(count: rows, bitWidth: 1, into: &body) { p[first + $0] ? 1 : 0 }
                    }
                }
                let length = UInt32(body.count - lengthAt - 4)
                for b in 0..<4 { body.bytes[lengthAt + b] = UInt8(truncatingIfNeeded: length >> (8 * b)) }
            }
            plan.appendValues(value..<(value + values), into: &body)
            row += rows
            value += values
            return rows
        }
        var rows = nextPage()
        let chosen = codec ?? Self.choose(dictionary: plan.dictionaryPage?.body ?? [], firstPage: body.bytes)
        var chunk = ParquetColumnChunk(bytes: [], byteCount: 0, spec: spec, encodings: [], codec: chosen, valueCount: rowCount,
                                       uncompressedSize: 0, dataPageOffset: 0, dictionaryPageOffset: nil,
                                       statistics: ParquetStatistics(nullCount: rowCount - nonNull))
        if let dictionary = plan.dictionaryPage {
            chunk.dictionaryPageOffset = 0
            try appendPage(type: .dictionaryPage, body: dictionary.body, valueCount: dictionary.count, encoding: .plain,
                           codec: chosen, to: &chunk, buffers: &buffers)
            encodings.insert(ParquetEncoding.plain.rawValue)
        }
        chunk.dataPageOffset = buffers.chunk.count
        while true {
            try appendPage(type: .dataPage, body: body.bytes, valueCount: rows, encoding: plan.encoding, codec: chosen,
                           to: &chunk, buffers: &buffers)
            if row >= rowCount { break }
            rows = nextPage()
        }
        chunk.encodings = encodings.sorted().compactMap(ParquetEncoding.init(rawValue:))
        chunk.statistics = plan.statistics(nullCount: rowCount - nonNull)
        chunk.bytes = buffers.chunk
        chunk.byteCount = buffers.chunk.count
        return chunk
    }

    /// LZ4_RAW when it shrinks the sample by ``minimumCompressionSaving``, else UNCOMPRESSED
    /// (bit-packed timestamps and dictionary indices are close to random bytes).
    static func choose(dictionary: [UInt8], firstPage: [UInt8]) -> ParquetCodec {
        var compressed = ByteWriter()
        for sample in [dictionary, firstPage] where !sample.isEmpty {
            let ok = sample.withUnsafeBytes { LZ4Block.compress($0, into: &compressed) }
            if !ok { return .uncompressed }
        }
        let raw = dictionary.count + firstPage.count
        return Double(compressed.count) <= Double(raw) * (1 - minimumCompressionSaving) ? .lz4Raw : .uncompressed
    }

    /// Appends a page header and the (compressed) body.
    private static func appendPage(type: ParquetPageType, body: [UInt8], valueCount: Int, encoding: ParquetEncoding,
                                   codec: ParquetCodec, to chunk: inout ParquetColumnChunk,
                                   buffers: inout Buffers) throws(ParquetWriterError) {
        var storedCount = body.count
        if codec == .lz4Raw {
            guard let n = body.withUnsafeBytes({ LZ4Block.compress($0, into: &buffers.compressed) }) else {
                throw ParquetWriterError("column \(chunk.spec.name): a page of \(body.count) bytes is too large to compress")
            }
            storedCount = n
        }
        guard body.count <= Int32.max, storedCount <= Int32.max else {
            throw ParquetWriterError("column \(chunk.spec.name): a page exceeds 2 GiB")
        }
        // parquet.thrift `PageHeader`: 1 type, 2 uncompressed_page_size, 3 compressed_page_size,
        // 5 data_page_header / 7 dictionary_page_header.
        var header = ThriftCompactWriter()
        header.i32(1, type.rawValue)
        header.i32(2, Int32(body.count))
        header.i32(3, Int32(storedCount))
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
        buffers.chunk.append(contentsOf: headerBytes)
        if codec == .lz4Raw {
            buffers.chunk.append(contentsOf: buffers.compressed[0..<storedCount])
        } else {
            buffers.chunk.append(contentsOf: body)
        }
        chunk.uncompressedSize += headerBytes.count + body.count
    }
}
