import Foundation
import Testing
@testable import ChunkStore

/// 2026-01-01T00:00:00Z in nanoseconds.
private let day0: Int64 = 1_767_225_600 * 1_000_000_000
private let hour: Int64 = 3_600 * 1_000_000_000

@Suite struct ParquetExportTests {
    /// A store with two devices over two days; returns its path.
    func makeStore(_ dir: TemporaryDirectory) throws -> String {
        let path = dir.child("db")
        let store = try Store.open(at: path)
        var rows: [Row] = []
        for i in 0..<48 {
            rows.append(Row(device: "a", timestamp: day0 + Int64(i) * hour, fields: ["t": .float(Double(i) / 4), "n": .int(Int64(i))]))
            rows.append(Row(device: "b", timestamp: day0 + Int64(i) * hour + 1, fields: ["t": .float(-1), "on": .bool(i % 2 == 0)]))
        }
        try store.append(rows)
        try store.close()
        return path
    }

    func append(_ path: String, _ rows: [Row]) throws {
        let store = try Store.open(at: path)
        try store.append(rows)
        try store.close()
    }

    func export(_ db: String, _ out: String, _ selection: ExportSelection = ExportSelection()) throws -> ParquetExport.Summary {
        let store = try Store.openReader(at: db)
        defer { try? store.close() }
        return try ParquetExport(directory: out, selection: selection, rowGroupRows: 10).run(store: store)
    }

    func files(_ out: String) -> [String] {
        let all = (FileManager.default.enumerator(atPath: out)?.allObjects as? [String]) ?? []
        return all.filter { $0.hasSuffix(".parquet") || $0.hasSuffix(".tmp") }.sorted()
    }

    @Test func writesOneFilePerDayInHiveLayout() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let db = try makeStore(dir)
        let out = dir.child("out")
        let summary = try export(db, out)
        #expect(summary.rows == 96 && summary.daysWritten == 2)
        #expect(files(out) == ["day=2026-01-01/part-00000.parquet", "day=2026-01-02/part-00000.parquet"])
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: out + "/day=2026-01-01/part-00000.parquet")))
        let meta = try ParquetFileWriterTests.footer(bytes)
        #expect(meta[3]?.int == 48)
        #expect((meta[4]?.list.count ?? 0) == 5)  // 48 rows in row groups of 10
        #expect((meta[2]?.list ?? []).dropFirst().map { $0[4]?.string } == ["device", "time", "time_ns", "n", "on", "t"])
        // Device b's readings are 1 ns past the microsecond: time floors, time_ns keeps the stored value.
        let stored = Set((0..<48).flatMap { [day0 + Int64($0) * hour, day0 + Int64($0) * hour + 1] })
        func int64(_ bound: ThriftValue?) -> Int64? {
            guard case .binary(let b)? = bound, b.count == 8 else { return nil }
            return b.reversed().reduce(Int64(0)) { $0 << 8 | Int64($1) }
        }
        var nanosPastMicros: Set<Int64> = []
        for group in meta[4]?.list ?? [] {
            let chunks = group[1]?.list ?? []
            let (time, nanos) = (chunks[1][3]?[12], chunks[2][3]?[12])
            // Statistics field 6 is min_value, 5 max_value.
            guard let lowMicros = int64(time?[6]), let highMicros = int64(time?[5]),
                  let low = int64(nanos?[6]), let high = int64(nanos?[5]) else {
                Issue.record("missing time or time_ns statistics")
                continue
            }
            #expect(stored.contains(low) && stored.contains(high))
            #expect(low / 1000 == lowMicros && high / 1000 == highMicros)
            nanosPastMicros.formUnion([low % 1000, high % 1000])
        }
        #expect(nanosPastMicros == [0, 1])
    }

    @Test func filesOfTheTimeExtraLayoutAreRewritten() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let db = try makeStore(dir)
        let out = dir.child("out")
        _ = try export(db, out)
        // Make the state look as a layout-2 run (time_extra_ns) left it: same days, old fingerprint.
        let statePath = out + "/" + ExportState.fileName
        guard var state = ExportState.decode(try [UInt8](Data(contentsOf: URL(fileURLWithPath: statePath)))) else {
            Issue.record("no state after the first export")
            return
        }
        let schema = ExportSchema(fields: [FieldDescriptor(name: "n", type: .int), FieldDescriptor(name: "on", type: .bool),
                                           FieldDescriptor(name: "t", type: .float)])
        let exporter = ParquetExport(directory: out, rowGroupRows: 10)
        #expect(state.selection == exporter.fingerprint(schema: schema))
        state.selection = exporter.fingerprint(schema: schema, columnsVersion: 2)
        try Data(state.encoded()).write(to: URL(fileURLWithPath: statePath))
        let rerun = try export(db, out)
        #expect(rerun.daysWritten == 2 && rerun.daysUnchanged == 0 && rerun.rows == 96)
        #expect(try export(db, out).daysUnchanged == 2)
    }

    @Test func rerunWritesOnlyChangedDays() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let db = try makeStore(dir)
        let out = dir.child("out")
        _ = try export(db, out)
        let again = try export(db, out)
        #expect(again.daysWritten == 0 && again.daysUnchanged == 2)
        // A late row for the first day rewrites that day only.
        try append(db, [Row(device: "a", timestamp: day0 + 30 * 60 * 1_000_000_000, fields: ["t": .float(9)])])
        let late = try export(db, out)
        #expect(late.daysWritten == 1 && late.daysUnchanged == 1 && late.rows == 49)
    }

    @Test func changedSelectionRewritesAndRemovesDays() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let db = try makeStore(dir)
        let out = dir.child("out")
        _ = try export(db, out)
        // A stale part file left by someone else in a day that gets rewritten is removed.
        FileManager.default.createFile(atPath: out + "/day=2026-01-01/part-00007.parquet", contents: Data([1]))
        let narrowed = try export(db, out, ExportSelection(to: day0 + 24 * hour, devices: ["b"]))
        #expect(narrowed.daysWritten == 1 && narrowed.daysRemoved == 1 && narrowed.rows == 24)
        #expect(files(out) == ["day=2026-01-01/part-00000.parquet"])
    }

    @Test func damagedStateRewritesEverything() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let db = try makeStore(dir)
        let out = dir.child("out")
        _ = try export(db, out)
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: out + "/" + ExportState.fileName))
        #expect(try export(db, out).daysWritten == 2)
    }

    @Test func unsealedRowsAreExportedAndChangeTheirDay() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let db = try makeStore(dir)
        let out = dir.child("out")
        let writer = try Store.open(at: db)
        defer { try? writer.close() }
        try writer.append([Row(device: "c", timestamp: day0 + 25 * hour, fields: ["t": .float(1)])])
        let first = try export(db, out)
        #expect(first.rows == 97 && first.daysWritten == 2)
        try writer.append([Row(device: "c", timestamp: day0 + 26 * hour, fields: ["t": .float(2)])])
        let second = try export(db, out)
        #expect(second.daysWritten == 1 && second.daysUnchanged == 1 && second.rows == 50)
    }

    @Test func fieldWithTwoTypesIsRefusedByName() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.child("db")
        let store = try Store.open(at: db)
        try store.append([Row(device: "a", timestamp: day0, fields: ["x": .int(1)]),
                          Row(device: "b", timestamp: day0, fields: ["x": .float(1)])])
        try store.close()
        #expect {
            _ = try export(db, dir.child("out"))
        } throws: { error in
            "\(error)".contains("\"x\"") && "\(error)".contains("one Parquet column needs one type")
        }
    }
}
