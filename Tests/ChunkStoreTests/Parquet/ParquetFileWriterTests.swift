import Testing
@testable import ChunkStore

@Suite struct ParquetFileWriterTests {
    static let columns = [
        ParquetColumnSpec(name: "device", type: .byteArray, repetition: .required, annotation: .string),
        ParquetColumnSpec(name: "time", type: .int64, repetition: .required, annotation: .timestampMicrosUTC),
        ParquetColumnSpec(name: "temp", type: .double, repetition: .optional),
        ParquetColumnSpec(name: "on", type: .boolean, repetition: .optional),
    ]

    /// Two row groups: 3 rows then 2.
    static func file() throws -> [UInt8] {
        var bytes: [UInt8] = []
        var writer = try ParquetFileWriter(columns: columns) { bytes += $0 }
        try writer.writeRowGroup([
            ParquetColumnData(values: .dictionaryStrings(dictionary: [Array("a".utf8), Array("b".utf8)], indices: [0, 0, 1])),
            ParquetColumnData(values: .int64([10, 20, 30])),
            ParquetColumnData(values: .double([1.5, -2.0]), present: [true, false, true]),
            ParquetColumnData(values: .boolean([true]), present: [false, true, false]),
        ], rowCount: 3)
        try writer.writeRowGroup([
            ParquetColumnData(values: .dictionaryStrings(dictionary: [Array("c".utf8)], indices: [0, 0])),
            ParquetColumnData(values: .int64([40, 50])),
            ParquetColumnData(values: .double([]), present: [false, false]),
            ParquetColumnData(values: .boolean([false, true]), present: [true, true]),
        ], rowCount: 2)
        try writer.finish()
        return bytes
    }

    static func footer(_ bytes: [UInt8]) throws -> ThriftValue {
        let n = bytes.count
        let length = Int(bytes[n - 8]) | Int(bytes[n - 7]) << 8 | Int(bytes[n - 6]) << 16 | Int(bytes[n - 5]) << 24
        var reader = ThriftCompactReader(Array(bytes[(n - 8 - length)..<(n - 8)]))
        return try reader.structure()
    }

    @Test func fileIsFramedByMagicAndFooterLength() throws {
        let bytes = try Self.file()
        #expect(Array(bytes.prefix(4)) == Array("PAR1".utf8))
        #expect(Array(bytes.suffix(4)) == Array("PAR1".utf8))
        let meta = try Self.footer(bytes)
        #expect(meta[3]?.int == 5)  // num_rows
        #expect(meta[4]?.list.count == 2)  // row_groups
        #expect(meta[7]?.list.count == 4)  // column_orders
    }

    @Test func schemaCarriesLogicalAndConvertedTypes() throws {
        let schema = try Self.footer(try Self.file())[2]?.list ?? []
        #expect(schema.count == 5)
        #expect(schema[0][5]?.int == 4)  // root: num_children
        #expect(schema.dropFirst().map { $0[4]?.string } == ["device", "time", "temp", "on"])
        #expect(schema[1][6]?.int == 0)  // UTF8
        #expect(schema[1][10]?[1] != nil)  // LogicalType STRING
        #expect(schema[2][6]?.int == 10)  // TIMESTAMP_MICROS
        #expect(schema[2][10]?[8]?[1] == .bool(true))  // isAdjustedToUTC
        #expect(schema[2][10]?[8]?[2]?[2] != nil)  // unit MICROS
        #expect(schema[3][3]?.int == 1 && schema[4][3]?.int == 1)  // optional
    }

    @Test func columnMetadataHasOffsetsAndStatistics() throws {
        let bytes = try Self.file()
        let groups = try Self.footer(bytes)[4]?.list ?? []
        let first = groups[0][1]?.list ?? []
        let device = first[0][3]
        #expect(device?[11]?.int == 4)  // dictionary page right after the magic
        #expect(device?[12]?[6]?.string == "a" && device?[12]?[5]?.string == "b")
        let temp = first[2][3]
        #expect(temp?[5]?.int == 3)  // num_values counts nulls
        #expect(temp?[12]?[3]?.int == 1)  // null_count
        #expect(temp?[12]?[6] == .binary((-2.0).bitPattern.littleEndianBytes))
        #expect(temp?[12]?[5] == .binary((1.5).bitPattern.littleEndianBytes))
        #expect(temp?[4]?.int == 7)  // LZ4_RAW
        let emptyTemp = (groups[1][1]?.list ?? [])[2][3]
        #expect(emptyTemp?[12]?[3]?.int == 2 && emptyTemp?[12]?[6] == nil)  // all null: no bounds
        // Row group offsets: each chunk starts where the previous ended.
        var expected = 4
        for group in groups {
            #expect(group[5]?.int == Int64(expected))
            for chunk in group[1]?.list ?? [] {
                #expect(chunk[2]?.int == Int64(expected))
                expected += Int(chunk[3]?[7]?.int ?? 0)
            }
        }
    }

    @Test func optionalPageHoldsLevelsThenValues() throws {
        let bytes = try Self.file()
        let chunk = ((try Self.footer(bytes)[4]?.list ?? [])[0][1]?.list ?? [])[2][3]
        var reader = ThriftCompactReader(bytes, offset: Int(chunk?[9]?.int ?? 0))
        let header = try reader.structure()
        #expect(header[1]?.int == 0)  // DATA_PAGE
        #expect(header[5]?[1]?.int == 3 && header[5]?[2]?.int == 0 && header[5]?[3]?.int == 3)
        let compressed = Array(bytes[reader.offset..<(reader.offset + Int(header[3]?.int ?? 0))])
        var body: [UInt8] = []
        try compressed.withUnsafeBytes { try LZ4Block.decompress($0, decodedLength: Int(header[2]?.int ?? 0), into: &body) }
        let levelBytes = Int(body[0]) | Int(body[1]) << 8
        #expect(decodeRLEHybrid(Array(body[4..<(4 + levelBytes)]), bitWidth: 1, count: 3) == [1, 0, 1])
        let values = Array(body[(4 + levelBytes)...])
        #expect(values == (1.5).bitPattern.littleEndianBytes + (-2.0).bitPattern.littleEndianBytes)
    }

    @Test func unsignedColumnsAreAnnotatedAndBoundedUnsigned() throws {
        let spec = ParquetColumnSpec(name: "u", type: .int64, repetition: .required, annotation: .uint64)
        var bytes: [UInt8] = []
        var writer = try ParquetFileWriter(columns: [spec]) { bytes += $0 }
        try writer.writeRowGroup([ParquetColumnData(values: .int64([1, -1, 5]))], rowCount: 3)  // -1 is 2^64-1
        try writer.finish()
        let meta = try Self.footer(bytes)
        let element = (meta[2]?.list ?? [])[1]
        #expect(element[6]?.int == 14)  // UINT_64
        #expect(element[10]?[10]?[1]?.int == 64 && element[10]?[10]?[2] == .bool(false))
        let stats = ((meta[4]?.list ?? [])[0][1]?.list ?? [])[0][3]?[12]
        #expect(stats?[6] == .binary(UInt64(1).littleEndianBytes))
        #expect(stats?[5] == .binary(UInt64.max.littleEndianBytes))
    }

    @Test func mismatchedPresenceIsRefused() throws {
        var writer = try ParquetFileWriter(columns: [Self.columns[2]]) { _ in }
        #expect(throws: ParquetWriterError.self) {
            try writer.writeRowGroup([ParquetColumnData(values: .double([1]), present: [false, false])], rowCount: 2)
        }
        #expect(throws: ParquetWriterError.self) {
            try writer.writeRowGroup([ParquetColumnData(values: .double([1]))], rowCount: 1)
        }
    }

    @Test func repeatedDoublesGetADictionaryAndRandomOnesDoNot() throws {
        var rng = SeededRandom(seed: 3)
        let spec = ParquetColumnSpec(name: "v", type: .double, repetition: .required)
        let few = (0..<1000).map { Double($0 % 4) }
        let many = (0..<1000).map { _ in Double(bitPattern: rng.next() >> 2) }
        #expect(try ParquetColumnEncoder.encode(ParquetColumnData(values: .double(few)), spec: spec, rowCount: 1000).dictionaryPageOffset != nil)
        #expect(try ParquetColumnEncoder.encode(ParquetColumnData(values: .double(many)), spec: spec, rowCount: 1000).dictionaryPageOffset == nil)
    }
}
