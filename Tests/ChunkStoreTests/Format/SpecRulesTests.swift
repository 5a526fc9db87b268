import Testing
@testable import ChunkStore

/// Rules of Formats/SPEC.md §4 and §5 that a reader written from the spec relies on,
/// each checked where the code enforces or implements it.
@Suite struct SpecRulesTests {
    /// 2026-01-01T00:00:00Z, day 20454.
    static let t0: Int64 = 1_767_225_600_000_000_000
    static let day: Int32 = 20454

    static func column(_ name: String, _ type: FieldType, _ bits: [UInt64], present: [Bool]? = nil) -> FieldColumn {
        FieldColumn(name: name, type: type, bits: bits, present: present.map(Bitmap.init) ?? Bitmap(count: bits.count, value: true))
    }

    static func record(_ columns: [FieldColumn], timestamps: [Int64] = [t0, t0 + 1, t0 + 2], day: Int32 = day) -> [UInt8] {
        var encoder = ChunkEncoder()
        var out = ByteWriter()
        encoder.encode(device: "m1", day: day, sequence: 1, walLSN: 1,
                       rows: ColumnarRows(timestamps: timestamps, columns: columns), into: &out)
        return out.bytes
    }

    /// Rewrites the body (bytes after the length) with `edit`, then the length and crc.
    static func tampered(_ record: [UInt8], _ edit: (inout [UInt8]) -> Void) -> [UInt8] {
        var body = Array(record[4..<record.count - 4])
        edit(&body)
        var out = ByteWriter()
        out.appendU32(UInt32(body.count))
        out.append(body)
        out.appendU32(CRC32C.checksum(body))
        return out.bytes
    }

    static func headerError(_ record: [UInt8]) -> String? {
        do {
            _ = try record.withUnsafeBytes { try ChunkDecoder.decodeHeader($0) }
            return nil
        } catch let error as FormatError {
            return error.reason
        } catch {
            return "\(error)"
        }
    }

    static let ints = [column("a", .int, [1, 2, 3]), column("b", .bool, [1, 0, 1])]

    @Test func validRecordDecodes() {
        #expect(Self.headerError(Self.record(Self.ints)) == nil)
    }

    @Test func undefinedFlagsAreRejected() {
        for flags: UInt8 in [2, 0x80, 0xFF] {
            let bad = Self.tampered(Self.record(Self.ints)) { $0[5] = flags }  // magic 4, version 1, flags
            #expect(Self.headerError(bad)?.contains("flags") == true)
        }
    }

    @Test func descriptorsMustBeSortedByName() {
        let unsorted = Self.record([Self.column("b", .int, [1, 2, 3]), Self.column("a", .int, [4, 5, 6])])
        #expect(Self.headerError(unsorted)?.contains("not sorted by name") == true)
        let duplicate = Self.record([Self.column("a", .int, [1, 2, 3]), Self.column("a", .int, [4, 5, 6])])
        #expect(Self.headerError(duplicate)?.contains("not sorted by name") == true)
    }

    @Test func columnBlocksMustFillTheBodyExactly() {
        let trailing = Self.tampered(Self.record(Self.ints)) { $0.append(0) }
        #expect(Self.headerError(trailing)?.contains("before the rollup or the end of the chunk body") == true, "\(Self.headerError(trailing) ?? "")")
    }

    @Test func columnBlocksMustBeContiguousInDescriptorOrder() {
        // Swap the col_offset of the two descriptors: both blocks stay inside the body.
        let good = Self.record([Self.column("a", .int, [1, 2, 3]), Self.column("b", .int, [7, 8, 9])])
        let header = try? good.withUnsafeBytes { try ChunkDecoder.decodeHeader($0) }
        guard let header else { Issue.record("good record did not decode"); return }
        let bad = Self.tampered(good) { body in
            // Descriptor layout: name (1 + 1 bytes), type 1, 8 numbers of 4/8 bytes, then
            // col_offset u32 and col_length u32: the last 8 bytes of each descriptor.
            let descriptorSize = 2 + 1 + 4 + 8 * 7 + 4 + 4
            let columnsStartInBody = header.timestampsOffset - 4
            let firstEnd = columnsStartInBody - descriptorSize
            let offsetA = firstEnd - 8, offsetB = columnsStartInBody - 8
            for k in 0..<4 { body.swapAt(offsetA + k, offsetB + k) }
        }
        #expect(Self.headerError(bad)?.contains("not right after the previous block") == true, "\(Self.headerError(bad) ?? "")")
    }

    @Test func timestampsMustFallInsideTheChunksDay() {
        #expect(Self.headerError(Self.record(Self.ints, day: Self.day + 1))?.contains("outside its day") == true)
        let crossing = Self.record(Self.ints, timestamps: [Self.t0 - 1, Self.t0, Self.t0 + 1])
        #expect(Self.headerError(crossing)?.contains("outside its day") == true)
        // Day -1 is 1969-12-31: floor division.
        let before1970 = Self.record(Self.ints, timestamps: [-3, -2, -1], day: -1)
        #expect(Self.headerError(before1970) == nil)
        #expect(ChunkDecoder.day(of: -1) == -1 && ChunkDecoder.day(of: 0) == 0)
    }

    @Test func fieldWithNoValuesLayout() throws {
        // presence 1, an all-zero bitmap, then no values: int and bool codecs encode
        // zero values as zero bytes; floats use floatXOR, also empty.
        for (type, codec) in [(FieldType.int, UInt8(2)), (.bool, 5), (.float, 4)] {
            var out = ByteWriter()
            var scratch = ColumnScratch()
            ColumnBlock.encodeField(Self.column("x", type, [0, 0, 0], present: [false, false, false]), into: &out, scratch: &scratch)
            #expect(out.bytes == [codec, 0, 2, 2, 1, 0], "\(type)")
        }
        let record = Self.record([Self.column("i", .int, [0, 0, 0], present: [false, false, false]),
                                  Self.column("v", .bool, [0, 0, 0], present: [false, false, false])])
        let header = try record.withUnsafeBytes { try ChunkDecoder.decodeHeader($0) }
        let rows = try record.withUnsafeBytes { try ChunkDecoder.decodeRows($0, header: header, fields: nil) }
        #expect(rows.columns.map(\.present.popCount) == [0, 0])
        #expect(header.fields.map(\.stats.count) == [0, 0])
        #expect(header.fields.allSatisfy { $0.stats.minBits == 0 && $0.stats.maxBits == 0 && $0.stats.sum == 0 })
    }

    @Test func floatStatisticsIgnoreNaNUnlessAllAreNaN() {
        let nan = Double.nan.bitPattern
        let mixed = FieldStats(column: Self.column("f", .float, [nan, 2.0.bitPattern, (-1.0).bitPattern, nan]), timestamps: [1, 2, 3, 4])
        #expect(mixed.minBits == (-1.0).bitPattern && mixed.maxBits == 2.0.bitPattern && mixed.sum.isNaN)
        let onlyNaN = FieldStats(column: Self.column("f", .float, [nan, nan]), timestamps: [1, 2])
        #expect(onlyNaN.minBits == nan && onlyNaN.maxBits == nan)
    }

    @Test func signedZerosTieToTheFirstInRowOrderAndSumAddsInRowOrder() {
        let plusZero: UInt64 = 0, minusZero: UInt64 = 1 << 63
        let negFirst = FieldStats(column: Self.column("f", .float, [minusZero, plusZero]), timestamps: [1, 2])
        #expect(negFirst.minBits == minusZero)
        #expect(negFirst.maxBits == minusZero)
        let posFirst = FieldStats(column: Self.column("f", .float, [plusZero, minusZero]), timestamps: [1, 2])
        #expect(posFirst.minBits == plusZero)
        #expect(posFirst.maxBits == plusZero)
        // (1e16 + 1) + 1 rounds twice; 1 + 1 + 1e16 does not: the stored sum is the row-order one.
        let values: [Double] = [1e16, 1, 1]
        let stats = FieldStats(column: Self.column("f", .float, values.map(\.bitPattern)), timestamps: [1, 2, 3])
        let rowOrder: Double = ((0 + 1e16) + 1) + 1
        let otherOrder: Double = 1e16 + (1 + 1)
        #expect(stats.sum == rowOrder)
        #expect(stats.sum != otherOrder)
        // All -0.0: the sum starts from +0.0, so it is +0.0.
        let zeros = FieldStats(column: Self.column("f", .float, [minusZero, minusZero]), timestamps: [1, 2])
        #expect(zeros.sum.bitPattern == plusZero)
    }

    @Test func duplicatePoliciesPerType() {
        let i = { (v: Int64) in UInt64(bitPattern: v) }
        #expect(DuplicatePolicy.sum.resolve(old: i(.max), new: i(1), type: .int) == i(.min), "int sum wraps")
        #expect(DuplicatePolicy.min.resolve(old: i(-5), new: i(3), type: .int) == i(-5))
        #expect(DuplicatePolicy.max.resolve(old: i(-5), new: i(3), type: .int) == i(3))
        #expect(DuplicatePolicy.min.resolve(old: 1, new: 0, type: .bool) == 0, "bool min is AND")
        #expect(DuplicatePolicy.max.resolve(old: 0, new: 1, type: .bool) == 1, "bool max is OR")
        #expect(DuplicatePolicy.sum.resolve(old: 1, new: 1, type: .bool) == 1, "bool sum is OR")
        #expect(DuplicatePolicy.sum.resolve(old: 0, new: 0, type: .bool) == 0)
        let f = { (v: Double) in v.bitPattern }
        let minusZero: UInt64 = 1 << 63
        #expect(DuplicatePolicy.min.resolve(old: minusZero, new: 0, type: .float) == minusZero, "a tie keeps the earlier value")
        #expect(DuplicatePolicy.max.resolve(old: 0, new: minusZero, type: .float) == 0)
        #expect(DuplicatePolicy.min.resolve(old: f(.nan), new: f(2), type: .float) == f(2), "NaN loses to a number")
        #expect(DuplicatePolicy.max.resolve(old: f(2), new: f(.nan), type: .float) == f(2))
        #expect(Double(bitPattern: DuplicatePolicy.sum.resolve(old: f(.greatestFiniteMagnitude), new: f(.greatestFiniteMagnitude),
                                                               type: .float)) == .infinity)
    }

    @Test func overlappingChunksCombinePerFieldInSealingOrderWithWALOnTop() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"))
        try store.append([Row(device: "d", timestamp: Self.t0, fields: ["a": .int(1), "b": .int(1)])])
        try store.flush()
        try store.append([Row(device: "d", timestamp: Self.t0, fields: ["a": .int(2)])])
        try store.flush()
        var result = try store.range(device: "d", fields: ["a", "b"])
        #expect(result.values == [[.int(2)], [.int(1)]], "a later chunk without b does not hide b")
        try store.append([Row(device: "d", timestamp: Self.t0, fields: ["b": .int(3)])])
        result = try store.range(device: "d", fields: ["a", "b"])
        #expect(result.values == [[.int(2)], [.int(3)]], "unsealed rows rank above every chunk")
        try store.close()
    }
}
