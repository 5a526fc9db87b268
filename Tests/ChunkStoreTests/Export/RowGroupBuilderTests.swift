import Testing
@testable import ChunkStore

@Suite struct RowGroupBuilderTests {
    static let schema = ExportSchema(fields: [FieldDescriptor(name: "n", type: .int), FieldDescriptor(name: "t", type: .float)])

    /// Rows at the given times; `t` present where `present` says, `n` on every row.
    static func rows(_ times: [Int64], present: [Bool]) -> ColumnarRows {
        ColumnarRows(timestamps: times, columns: [
            FieldColumn(name: "t", type: .float, bits: times.map { Double($0).bitPattern }, present: Bitmap(present)),
            FieldColumn(name: "n", type: .int, bits: times.map { UInt64(bitPattern: -$0) }, present: Bitmap(count: times.count, value: true)),
        ])
    }

    @Test func copiesFullAndPartialColumnsAndFloorsTimes() {
        var builder = RowGroupBuilder(schema: Self.schema, capacity: 4)
        let times: [Int64] = [-1, 999, 1000, 2_000_001, 3_000_000]
        builder.append(device: "a", Self.rows(times, present: [true, false, true, true, true]), range: 0..<3)
        builder.append(device: "b", Self.rows(times, present: Array(repeating: true, count: 5)), range: 3..<5)
        let group = builder.group()
        #expect(group.rows == 5 && group.deviceStarts == [3])
        guard case .int64(let micros) = group.columns[1].values, case .int64(let nanos) = group.columns[2].values,
              case .int64(let n) = group.columns[3].values, case .double(let t) = group.columns[4].values else {
            Issue.record("unexpected column kinds")
            return
        }
        #expect(micros == [-1, 0, 1, 2000, 3000])
        #expect(nanos == times)
        #expect(n == times.map { -$0 } && group.columns[3].present == Array(repeating: true, count: 5))
        #expect(t == [-1, 1000, 2_000_001, 3_000_000] && group.columns[4].present == [true, false, true, true, true])
    }

    @Test func resetKeepsNothingButCapacity() {
        var builder = RowGroupBuilder(schema: Self.schema)
        builder.append(device: "a", Self.rows([1, 2], present: [true, true]), range: 0..<2)
        builder.reset()
        #expect(builder.rowCount == 0)
        builder.append(device: "a", Self.rows([5], present: [false]), range: 0..<1)
        let group = builder.group()
        #expect(group.rows == 1 && group.deviceStarts.isEmpty && group.columns[4].present == [false])
        if case .dictionaryStrings(let dictionary, let indices) = group.columns[0].values {
            #expect(dictionary == [Array("a".utf8)] && indices == [0])
        } else {
            Issue.record("device column is not a dictionary")
        }
    }
}
