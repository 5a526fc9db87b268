/// Turns the sorted, deduplicated rows of one device-day into a chunk record and back.
///
/// Record layout (Formats/SPEC.md, "Chunk"): `bodyLength u32 | body | crc32c(body) u32`.
/// The body is the header (device, day, counts, time span, sequence numbers, per-field
/// statistics and column locations) followed by the column blocks.
struct ChunkEncoder {
    private var columns = ByteWriter()
    private var scratch = ColumnScratch()
    private var header = ByteWriter()
    private var rollup = ByteWriter()

    /// Appends the record for `rows` (ascending, unique timestamps, at least one row) to `out`
    /// and returns its header, with offsets relative to the record's start.
    @discardableResult
    mutating func encode(device: String, day: Int32, sequence: UInt64, walLSN: UInt64,
                         rows: ColumnarRows, into out: inout ByteWriter) -> ChunkHeader {
        columns.reset()
        header.reset()
        ColumnBlock.encodeTimestamps(rows.timestamps, into: &columns, scratch: &scratch)
        let timestampsLength = columns.count
        var fieldSpans: [(offset: Int, length: Int)] = []
        for column in rows.columns {
            let start = columns.count
            ColumnBlock.encodeField(column, into: &columns, scratch: &scratch)
            fieldSpans.append((start, columns.count - start))
        }

        rollup.reset()
        if let cells = ChunkRollup(rows: rows) {
            cells.encode(types: rows.columns.map(\.type), into: &rollup, scratch: &scratch)
        }

        header.appendU32(FormatConstants.chunkMagic)
        header.appendU8(FormatConstants.chunkVersion)
        header.appendU8(rollup.count > 0 ? FormatConstants.chunkFlagRollup : 0)
        let deviceBytes = Array(device.utf8)
        header.appendU8(UInt8(deviceBytes.count))
        header.append(deviceBytes)
        header.appendU32(UInt32(bitPattern: day))
        header.appendU32(UInt32(rows.rowCount))
        header.appendI64(rows.timestamps.first ?? 0)
        header.appendI64(rows.timestamps.last ?? 0)
        header.appendU64(sequence)
        header.appendU64(walLSN)
        header.appendU16(UInt16(rows.columns.count))
        header.appendU32(UInt32(timestampsLength))
        var fields: [ChunkHeader.Field] = []
        for (column, span) in zip(rows.columns, fieldSpans) {
            let nameBytes = Array(column.name.utf8)
            header.appendU8(UInt8(nameBytes.count))
            header.append(nameBytes)
            header.appendU8(column.type.rawValue)
            let stats = FieldStats(column: column, timestamps: rows.timestamps)
            header.appendU32(UInt32(stats.count))
            header.appendU64(stats.minBits)
            header.appendU64(stats.maxBits)
            header.appendU64(stats.sum.bitPattern)
            header.appendU64(stats.firstBits)
            header.appendU64(stats.lastBits)
            header.appendI64(stats.firstTimestamp)
            header.appendI64(stats.lastTimestamp)
            header.appendU32(UInt32(span.offset))
            header.appendU32(UInt32(span.length))
            fields.append(.init(name: column.name, type: column.type, stats: stats, offset: span.offset, length: span.length))
        }
        if rollup.count > 0 { header.appendU32(UInt32(rollup.count)) }
        // Column offsets in the header count from the end of the header; the returned
        // header, like a decoded one, counts from the start of the record.
        let columnsStart = 4 + header.count
        for i in fields.indices { fields[i].offset += columnsStart }

        let bodyLength = header.count + columns.count + rollup.count
        out.appendU32(UInt32(bodyLength))
        let bodyStart = out.count
        out.append(header.bytes)
        out.append(columns.bytes)
        out.append(rollup.bytes)
        let crc = out.bytes.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[bodyStart..<bodyStart + bodyLength]))
        }
        out.appendU32(crc)
        return ChunkHeader(device: device, day: day, rowCount: rows.rowCount, minTimestamp: rows.timestamps.first ?? 0,
                           maxTimestamp: rows.timestamps.last ?? 0, sequence: sequence, walLSN: walLSN, fields: fields,
                           timestampsOffset: columnsStart, timestampsLength: timestampsLength,
                           rollupOffset: rollup.count > 0 ? columnsStart + columns.count : 0, rollupLength: rollup.count)
    }
}

/// Reads chunk records; every failure is a ``FormatError`` with the offset inside the record.
enum ChunkDecoder {
    /// Checks framing and checksum of a whole record (`bodyLength | body | crc`) and decodes its header.
    static func decodeHeader(_ record: UnsafeRawBufferPointer) throws -> ChunkHeader {
        var reader = ByteReader(record)
        let bodyLength = Int(try reader.readU32())
        guard bodyLength <= FormatConstants.maxChunkBodySize,
              record.count == bodyLength + FormatConstants.chunkFramingSize else {
            throw FormatError(offset: 0, "chunk length \(bodyLength) does not match its record of \(record.count) bytes")
        }
        let body = UnsafeRawBufferPointer(rebasing: record[4..<4 + bodyLength])
        var crcReader = ByteReader(UnsafeRawBufferPointer(rebasing: record[(4 + bodyLength)...]))
        let storedCRC = try crcReader.readU32()
        let actualCRC = CRC32C.checksum(body)
        guard storedCRC == actualCRC else {
            throw FormatError(offset: 4 + bodyLength, "chunk checksum mismatch (stored \(hex(storedCRC)), computed \(hex(actualCRC)))")
        }
        guard try reader.readU32() == FormatConstants.chunkMagic else {
            throw FormatError(offset: 4, "not a chunk (bad magic)")
        }
        let version = try reader.readU8()
        guard version == FormatConstants.chunkVersion else {
            throw FormatError(offset: 8, "chunk version \(version) is not supported")
        }
        let flags = try reader.readU8()
        guard flags & ~FormatConstants.chunkFlagRollup == 0 else {
            throw FormatError(offset: 9, "chunk flags \(flags) set an undefined bit (only bit 0, a rollup section, is defined)")
        }
        let device = try readName(&reader, what: "device")
        let day = Int32(bitPattern: try reader.readU32())
        let rowCount = Int(try reader.readU32())
        let minTs = try reader.readI64()
        let maxTs = try reader.readI64()
        let sequence = try reader.readU64()
        let walLSN = try reader.readU64()
        let fieldCount = Int(try reader.readU16())
        let timestampsLength = Int(try reader.readU32())
        var fields: [ChunkHeader.Field] = []
        fields.reserveCapacity(fieldCount)
        for _ in 0..<fieldCount {
            let nameOffset = reader.offset
            let name = try readName(&reader, what: "field name")
            if let previous = fields.last, !previous.name.precedesInBytes(name) {
                throw FormatError(offset: nameOffset, "field descriptors are not sorted by name (\(previous.name.debugDescription) before \(name.debugDescription))")
            }
            let typeOffset = reader.offset
            guard let type = FieldType(rawValue: try reader.readU8()) else {
                throw FormatError(offset: typeOffset, "unknown field type")
            }
            var stats = FieldStats()
            stats.count = Int(try reader.readU32())
            stats.minBits = try reader.readU64()
            stats.maxBits = try reader.readU64()
            stats.sum = Double(bitPattern: try reader.readU64())
            stats.firstBits = try reader.readU64()
            stats.lastBits = try reader.readU64()
            stats.firstTimestamp = try reader.readI64()
            stats.lastTimestamp = try reader.readI64()
            let offset = Int(try reader.readU32())
            let length = Int(try reader.readU32())
            fields.append(.init(name: name, type: type, stats: stats, offset: offset, length: length))
        }
        var rollupLength = 0
        if flags & FormatConstants.chunkFlagRollup != 0 {
            let lengthOffset = reader.offset
            rollupLength = Int(try reader.readU32())
            guard rollupLength > 0, rollupLength <= 4 + bodyLength - reader.offset else {
                throw FormatError(offset: lengthOffset, "rollup length \(rollupLength) does not fit the chunk")
            }
        }
        let columnsStart = reader.offset
        let columnsEnd = 4 + bodyLength - rollupLength
        guard timestampsLength <= columnsEnd - columnsStart else {
            throw FormatError(offset: columnsStart, "timestamp block overruns the chunk")
        }
        // Column blocks are contiguous, in descriptor order after the timestamp block,
        // and fill the rest of the body exactly.
        var expected = timestampsLength
        for i in fields.indices {
            let start = columnsStart + fields[i].offset
            guard fields[i].offset <= columnsEnd - columnsStart, fields[i].length <= columnsEnd - start else {
                throw FormatError(offset: columnsStart, "column \(fields[i].name) overruns the chunk")
            }
            guard fields[i].offset == expected else {
                throw FormatError(offset: columnsStart + expected,
                                  "column \(fields[i].name) starts at \(fields[i].offset), not right after the previous block (\(expected))")
            }
            expected += fields[i].length
            fields[i].offset = start
        }
        guard columnsStart + expected == columnsEnd else {
            throw FormatError(offset: columnsStart + expected,
                              "column blocks end \(columnsEnd - columnsStart - expected) bytes before the rollup or the end of the chunk body")
        }
        guard rowCount > 0, minTs <= maxTs, rowCount <= FormatConstants.maxChunkBodySize else {
            throw FormatError(offset: 0, "chunk header is inconsistent (rows \(rowCount), span \(minTs)...\(maxTs))")
        }
        guard Self.day(of: minTs) == Int64(day), Self.day(of: maxTs) == Int64(day) else {
            throw FormatError(offset: 0, "chunk timestamps \(minTs)...\(maxTs) fall outside its day \(day)")
        }
        return ChunkHeader(device: device, day: day, rowCount: rowCount, minTimestamp: minTs, maxTimestamp: maxTs,
                           sequence: sequence, walLSN: walLSN, fields: fields,
                           timestampsOffset: columnsStart, timestampsLength: timestampsLength,
                           rollupOffset: rollupLength > 0 ? columnsEnd : 0, rollupLength: rollupLength)
    }

    /// Decodes and checks the rollup section of a record whose header came from
    /// ``decodeHeader(_:)``; nil when the chunk has none.
    static func decodeRollup(_ record: UnsafeRawBufferPointer, header: ChunkHeader) throws -> ChunkRollup? {
        guard header.rollupLength > 0 else { return nil }
        let section = UnsafeRawBufferPointer(rebasing: record[header.rollupOffset..<header.rollupOffset + header.rollupLength])
        do {
            return try ChunkRollup.decode(section, types: header.fields.map(\.type),
                                          minTimestamp: header.minTimestamp, maxTimestamp: header.maxTimestamp)
        } catch let error as FormatError {
            throw FormatError(offset: header.rollupOffset + error.offset, error.reason)
        }
    }

    /// Checks that a chunk's rollup, if it has one, is exactly the one its rows give: the
    /// deep check `verify` runs on every chunk. A chunk without a rollup is valid (written
    /// before rollups existed, or with its rows in one cell): queries decode it.
    static func checkRollup(_ record: UnsafeRawBufferPointer, header: ChunkHeader, rows: ColumnarRows) throws {
        guard let stored = try decodeRollup(record, header: header) else { return }
        guard stored.isIdentical(to: ChunkRollup(rows: rows)) else {
            throw FormatError(offset: header.rollupOffset, "rollup disagrees with the chunk's rows")
        }
    }

    /// Decodes the timestamps and the named fields (all when nil) of a record whose header
    /// came from ``decodeHeader(_:)``.
    static func decodeRows(_ record: UnsafeRawBufferPointer, header: ChunkHeader, fields wanted: [String]?) throws -> ColumnarRows {
        var rows = ColumnarRows()
        var tsReader = ByteReader(UnsafeRawBufferPointer(
            rebasing: record[header.timestampsOffset..<header.timestampsOffset + header.timestampsLength]))
        rows.timestamps = try ColumnBlock.decodeTimestamps(&tsReader, count: header.rowCount, increasing: true)
        guard rows.timestamps.first == header.minTimestamp, rows.timestamps.last == header.maxTimestamp else {
            throw FormatError(offset: header.timestampsOffset, "timestamps disagree with the chunk's time span")
        }
        for field in header.fields where wanted?.contains(field.name) ?? true {
            var reader = ByteReader(UnsafeRawBufferPointer(rebasing: record[field.offset..<field.offset + field.length]))
            do {
                rows.columns.append(try ColumnBlock.decodeField(&reader, name: field.name, type: field.type, count: header.rowCount))
            } catch let error as FormatError {
                throw FormatError(offset: field.offset + error.offset, "column \(field.name): \(error.reason)")
            }
        }
        return rows
    }

    /// The UTC day number of timestamp `t`: floor(t / 86 400 s), as SPEC §1 defines it.
    static func day(of t: Int64) -> Int64 {
        let perDay: Int64 = 86_400_000_000_000
        let (q, r) = t.quotientAndRemainder(dividingBy: perDay)
        return r < 0 ? q - 1 : q
    }

    private static func readName(_ reader: inout ByteReader, what: String) throws -> String {
        let start = reader.offset
        let length = Int(try reader.readU8())
        let bytes = try reader.readBytes(length)
        guard length > 0, let name = String(utf8Name: bytes) else {
            throw FormatError(offset: start, "\(what) is empty or not UTF-8")
        }
        return name
    }
}

func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}
