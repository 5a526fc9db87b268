import ChunkStore
import Testing

/// `DownsampleResult.swift`: downsampled rows with labelled columns.
@Suite struct DownsampleResultTests {
    @Test func columnsAreFieldDotFunctionFieldsOuter() {
        let rows = [DownsampleRow(device: "m", bucketStart: 0, values: [.float(1), .float(2), .int(3), nil, nil, .int(0)])]
        let result = DownsampleResult(fields: ["power", "a.b", "x"], functions: [.mean, .count], rows: rows)
        #expect(result.columns == ["power.mean", "power.count", "a.b.mean", "a.b.count", "x.mean", "x.count"])
        #expect(result.columnIndex(field: "power", function: .count) == 1)
        #expect(result.columnIndex(field: "a.b", function: .mean) == 2)
        #expect(result.columnIndex(field: "x", function: .count) == 5)
        #expect(result.columnIndex(field: "power", function: .max) == nil)
        #expect(result.columnIndex(field: "nope", function: .mean) == nil)
        #expect(result.value(0, field: "a.b", function: .count) == nil)
        #expect(result.value(0, field: "power", function: .count) == .float(2))
        #expect(result.count == 1 && result[0] == rows[0])
    }

    @Test func aStoresDownsampleComesLabelled() throws {
        let dir = TemporaryDirectory("labelled")
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"), options: StoreOptions(sync: .none))
        defer { try? store.close() }
        try store.append((0..<20).map { Row(device: $0 % 2 == 0 ? "a" : "b", timestamp: Int64($0) * 1_000, fields: ["p": .float(Double($0)), "q": .int(1)]) })
        let query = DownsampleQuery(device: nil, fields: ["q", "p"], bucket: .nanoseconds(10_000), functions: [.max, .count])
        let result = try store.downsampleResult(query)
        #expect(result.columns == ["q.max", "q.count", "p.max", "p.count"])
        #expect(result.rows == (try store.downsample(query)))
        let peak = try #require(result.columnIndex(field: "p", function: .max))
        #expect(result.map { "\($0.device) \($0.bucketStart) \($0.values[peak]!)" } == ["a 0 8.0", "a 10000 18.0", "b 0 9.0", "b 10000 19.0"])
    }
}
