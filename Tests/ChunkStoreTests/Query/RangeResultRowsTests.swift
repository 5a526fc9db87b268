import ChunkStore
import Foundation
import Testing

/// `RangeResult+Rows.swift`: a range result read row by row.
@Suite struct RangeResultRowsTests {
    static let result = RangeResult(device: "m1", fieldNames: ["power", "on"], timestamps: [10, 20, 30],
                                    values: [[.float(1.5), nil, .float(3)], [.bool(true), .bool(false), nil]])

    @Test func rowsReadTheColumnsByIndexAndName() {
        let result = Self.result
        #expect(result.count == 3)
        #expect(result.map(\.timestamp) == [10, 20, 30])
        var seen: [String] = []
        for row in result {
            seen.append("\(row.device) \(row.timestamp) \(row["power"].map { "\($0)" } ?? "-") \(row[field: 1].map { "\($0)" } ?? "-")")
        }
        #expect(seen == ["m1 10 1.5 true", "m1 20 - false", "m1 30 3.0 -"])
        #expect(result[1]["missing"] == nil)
        #expect(result.fieldIndex(of: "on") == 1)
        #expect(result.fieldIndex(of: "nope") == nil)
        #expect(result[0].fields == ["power": .float(1.5), "on": .bool(true)])
        #expect(result[2].row == Row(device: "m1", timestamp: 30, fields: ["power": .float(3)]))
        #expect(result[0].date == Date(timeIntervalSince1970: 0.00000001))
        #expect(result.reversed().map(\.index) == [2, 1, 0])
        #expect(RangeResult(device: "x", fieldNames: [], timestamps: [], values: []).isEmpty)
    }

    @Test func aStoresRangeIteratesItsRows() throws {
        let dir = TemporaryDirectory("rows")
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"), options: StoreOptions(sync: .none))
        defer { try? store.close() }
        let rows = (0..<500).map { (i: Int) -> Row in
            let fields: [String: FieldValue] = i % 3 == 0 ? ["v": .int(Int64(i))] : ["w": .float(Double(i))]
            return Row(device: "a", timestamp: Int64(i), fields: fields)
        }
        try store.append(rows)
        let result = try store.range(device: "a")
        #expect(result.map(\.row) == rows)
        var sum: Int64 = 0
        for row in result { if case .int(let v)? = row["v"] { sum += v } }
        let expected: Int64 = stride(from: 0, to: 500, by: 3).reduce(0) { $0 + Int64($1) }
        #expect(sum == expected)
    }
}
