import Testing
@testable import ChunkStore

/// Field type 4, uint: exact storage, statistics and duplicate policies (SPEC §4, §5).
@Suite struct UIntFieldTests {
    static let t0: Int64 = 1_767_225_600_000_000_000
    static let extremes: [UInt64] = [.max, 0, UInt64(Int64.max) + 1, 1, UInt64(Int64.max)]

    @Test func chunkRoundTripAndStatistics() throws {
        let timestamps = Self.extremes.indices.map { Self.t0 + Int64($0) }
        let rows = ColumnarRows(timestamps: timestamps, columns: [
            FieldColumn(name: "u", type: .uint, bits: Self.extremes, present: Bitmap(count: 5, value: true)),
        ])
        var encoder = ChunkEncoder()
        var out = ByteWriter()
        encoder.encode(device: "d", day: 20454, sequence: 1, walLSN: 1, rows: rows, into: &out)
        let header = try out.bytes.withUnsafeBytes { try ChunkDecoder.decodeHeader($0) }
        #expect(header.fields.first?.type == .uint)
        let decoded = try out.bytes.withUnsafeBytes { try ChunkDecoder.decodeRows($0, header: header, fields: nil) }
        #expect(decoded == rows)
        let stats = try #require(header.fields.first?.stats)
        #expect(stats.minBits == 0 && stats.maxBits == .max, "unsigned order, not signed")
        var sum = 0.0
        for v in Self.extremes { sum += Double(v) }
        #expect(stats.sum == sum)
    }

    @Test func duplicatePolicies() {
        let big = UInt64(Int64.max) + 1
        #expect(DuplicatePolicy.min.resolve(old: big, new: 1, type: .uint) == 1)
        #expect(DuplicatePolicy.max.resolve(old: big, new: 1, type: .uint) == big, "unsigned, so 2^63 is large")
        #expect(DuplicatePolicy.sum.resolve(old: .max, new: 2, type: .uint) == 1, "wraps modulo 2^64")
        #expect(DuplicatePolicy.first.resolve(old: 3, new: 4, type: .uint) == 3)
        #expect(FieldValue(type: .uint, bits: .max) == .uint(.max))
        #expect(FieldValue.uint(.max).description == "18446744073709551615")
    }

    @Test func storeKeepsUnsignedValuesInTheLogAndInChunks() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.child("s")
        var store = try Store.open(at: path)
        try store.append([Row(device: "d", timestamp: Self.t0, fields: ["u": .uint(.max)])])
        try store.flush()
        try store.append([Row(device: "d", timestamp: Self.t0 + 1, fields: ["u": .uint(UInt64(Int64.max) + 1)])])
        try store.close()
        store = try Store.open(at: path)
        let result = try store.range(device: "d", fields: ["u"])
        #expect(result.values == [[.uint(.max), .uint(UInt64(Int64.max) + 1)]])
        #expect(throws: StoreError.self) {
            try store.append([Row(device: "d", timestamp: Self.t0 + 2, fields: ["u": .int(1)])])
        }
        try store.close()
    }
}
