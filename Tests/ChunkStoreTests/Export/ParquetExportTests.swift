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
        #expect((meta[2]?.list ?? []).dropFirst().map { $0[4]?.string } == ["device", "time", "time_extra_ns", "n", "on", "t"])
        // Device b's readings are 1 ns past the microsecond: time floors, time_extra_ns keeps the rest.
        var extras: Set<[UInt8]> = []
        for group in meta[4]?.list ?? [] {
            let chunks = group[1]?.list ?? []
            let (time, extra) = (chunks[1][3]?[12], chunks[2][3]?[12])
            for bound in [extra?[6], extra?[5]] { if case .binary(let b)? = bound { extras.insert(b) } }
            guard case .binary(let low)? = time?[6] else { Issue.record("no time minimum"); continue }
            let micros = low.reversed().reduce(Int64(0)) { $0 << 8 | Int64($1) }
            #expect(micros % 3_600_000_000 == 0)  // whole hours in microseconds
        }
        #expect(extras == [UInt64(0).littleEndianBytes, UInt64(1).littleEndianBytes])
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
