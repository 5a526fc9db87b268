import Testing
@testable import ChunkStore

/// `LatestRows` built from rows whose fields arrive in any order, with gaps and types
/// that differ between devices.
@Suite struct LatestRowsTests {
    @Test func emptyTableHasNoRowsOrFields() {
        let rows = LatestRowsBuilder().build()
        #expect(rows.isEmpty && rows.fieldNames.isEmpty && rows == LatestRows())
        #expect(rows.fieldIndex(of: "p") == nil)
    }

    @Test func columnsAreSortedByBytesAndCellsFollowThem() {
        var builder = LatestRowsBuilder()
        // Fields first seen out of byte order, one row listing them unsorted, one row with
        // none, and a field whose type differs between devices.
        builder.append(device: "a", LatestValues(timestamp: 5, values: [("z", .float, (1.5).bitPattern), ("b", .int, 7)]))
        builder.append(device: "b", LatestValues(timestamp: -1, values: []))
        builder.append(device: "c", LatestValues(timestamp: .max, values: [("Z", .bool, 1), ("b", .float, (-0.0).bitPattern), ("z", .int, UInt64(bitPattern: .min))]))
        let rows = builder.build()
        #expect(rows.fieldNames == ["Z", "b", "z"])
        #expect(rows.devices == ["a", "b", "c"] && rows.timestamps == [5, -1, .max])
        #expect(rows[0] == LatestRow(device: "a", timestamp: 5, fields: ["z": .float(1.5), "b": .int(7)]))
        #expect(rows[1].fields.isEmpty)
        #expect(rows[2].fields == ["Z": .bool(true), "b": .float(-0.0), "z": .int(.min)])
        #expect(rows.value(0, field: 0) == nil && rows.value(0, field: 1) == .int(7) && rows.value(0, "z") == .float(1.5))
        #expect(rows.value(1, "b") == nil && rows.value(2, "Z") == .bool(true) && rows.value(2, "zz") == nil)
        // -0.0 is kept bit for bit, not equal to 0.0.
        #expect(rows.value(2, "b") != .float(0.0))
    }

    @Test func equalContentBuildsEqualTables() {
        var first = LatestRowsBuilder(), second = LatestRowsBuilder()
        first.append(device: "m", LatestValues(timestamp: 1, values: [("p", .float, 0), ("e", .int, 3)]))
        second.append(device: "m", LatestValues(timestamp: 1, values: [("e", .int, 3), ("p", .float, 0)]))
        let a = first.build(), b = second.build()
        #expect(a == b && a.hashValue == b.hashValue)
    }
}
