import Foundation
import Testing
@testable import ChunkStore

/// A store written by format version 1, checked into Fixtures/golden-v1 with the answers
/// it gave then (golden-v1.expected). Every later version must read it and answer the same.
/// Regenerate only on a deliberate format change: `GOLDEN_REGENERATE=1 swift test --filter GoldenStore`.
@Suite struct GoldenStoreTests {
    static let minute: Int64 = 60_000_000_000
    static let newYear: Int64 = 1_767_225_600_000_000_000 // 2026-01-01T00:00:00Z

    /// Writes the golden store: three days of a meter (flushed day by day, so several index
    /// segments), late rows overlapping a sealed day, a pre-1970 device with NaN, infinities
    /// and -0.0, booleans and missing values; and a few rows left in the WAL, unsealed.
    static func build(at path: String) throws {
        var options = StoreOptions()
        options.sync = .always
        options.chunkRowLimit = 500
        let store = try Store.open(at: path, options: options)
        for day in Int64(-1)...1 {
            var rows: [Row] = []
            for i in Int64(0)..<720 {
                let t = newYear + day * 1440 * minute + i * 2 * minute
                var fields: [String: FieldValue] = [
                    "power_w": .float(Double(1000 + (i * 37) % 900) / 10),
                    "voltage_v": .float(Double(2300 + (i * 7) % 40) / 10),
                    "energy_wh": .int(100_000 + day * 10_000 + i * 3),
                ]
                if i % 17 != 0 { fields["relay_on"] = .bool(i % 3 == 0) }
                if i % 50 == 0 { fields["power_w"] = nil }
                rows.append(Row(device: "meter-1", timestamp: t, fields: fields))
            }
            try store.append(rows)
            try store.flush()
        }
        // Late corrections for a sealed day: overlap, duplicates resolved by `last`.
        try store.append((0..<30).map { i in
            Row(device: "meter-1", timestamp: newYear + Int64(i) * 4 * minute, fields: ["power_w": .float(-1.5)])
        })
        let odd: [Double] = [.nan, .infinity, -.infinity, -0.0, 0.0, .leastNonzeroMagnitude, 1e300, -2.5]
        try store.append((0..<odd.count).map { i in
            Row(device: "pre-epoch", timestamp: -Int64(odd.count - i) * 1_000_000_007, fields: ["x": .float(odd[i])])
        })
        try store.flush()
        // Rows left only in the WAL: the store is dropped without close.
        try store.append([Row(device: "meter-1", timestamp: newYear + 2 * 1440 * minute, fields: ["power_w": .float(42)]),
                          Row(device: "wal-only", timestamp: 5, fields: ["n": .int(-7)])])
    }

    /// Every answer of the store, as text with exact bit patterns.
    static func answers(_ store: Store) throws -> String {
        var out: [String] = []
        func text(_ v: FieldValue?) -> String {
            guard let v else { return "-" }
            switch v {
            case .float(let d): return "f" + String(d.bitPattern, radix: 16)
            case .int(let i): return "i\(i)"
            case .bool(let b): return b ? "t" : "f"
            case .uint(let u): return "u\(u)"
            }
        }
        for device in try store.devices() {
            out.append("device \(device.device) \(device.fields.map { "\($0.name):\($0.type)" }.joined(separator: ",")) \(device.firstTimestamp) \(device.lastTimestamp)")
            let range = try store.range(device: device.device)
            for r in 0..<range.count {
                out.append("\(range.timestamps[r]) " + range.values.map { text($0[r]) }.joined(separator: " "))
            }
            for field in device.fields where field.type != .bool {
                let query = DownsampleQuery(device: device.device, fields: [field.name], bucket: .nanoseconds(3_600_000_000_000),
                                            functions: AggregateFunction.allCases)
                for row in try store.downsample(query) {
                    out.append("agg \(field.name) \(row.bucketStart) " + row.values.map(text).joined(separator: " "))
                }
            }
        }
        for row in try store.latest() {
            out.append("latest \(row.device) \(row.timestamp) " + row.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\(text($0.value))" }.joined(separator: " "))
        }
        return out.joined(separator: "\n") + "\n"
    }

    static var sourceFixtures: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").path
    }

    /// Copies the checked-in store to a temporary directory (a writer replays and changes it).
    static func copyOfGolden(_ dir: TemporaryDirectory) throws -> String {
        let source = try #require(Bundle.module.url(forResource: "golden-v1", withExtension: nil, subdirectory: "Fixtures"))
        let target = dir.child("golden")
        try FileManager.default.copyItem(atPath: source.path, toPath: target)
        try? FileManager.default.createDirectory(atPath: target + "/wal", withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(atPath: target + "/data", withIntermediateDirectories: true)
        return target
    }

    @Test func regenerateWhenAsked() throws {
        guard ProcessInfo.processInfo.environment["GOLDEN_REGENERATE"] == "1" else { return }
        let target = Self.sourceFixtures + "/golden-v1"
        try? FileManager.default.removeItem(atPath: target)
        try Self.build(at: target)
        try? FileManager.default.removeItem(atPath: target + "/LOCK")
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let sealedOnly = dir.child("sealed")
        try FileManager.default.copyItem(atPath: target, toPath: sealedOnly)
        try FileManager.default.removeItem(atPath: sealedOnly + "/wal")
        try FileManager.default.createDirectory(atPath: sealedOnly + "/wal", withIntermediateDirectories: true)
        let reader = try Store.openReader(at: sealedOnly)
        try Self.answers(reader).write(toFile: Self.sourceFixtures + "/golden-v1.expected", atomically: true, encoding: .utf8)
        let copy = dir.child("w")
        try FileManager.default.copyItem(atPath: target, toPath: copy)
        let writer = try Store.open(at: copy)
        try Self.answers(writer).write(toFile: Self.sourceFixtures + "/golden-v1-replayed.expected", atomically: true, encoding: .utf8)
        try writer.close()
    }

    /// A copy of the checked-in store with its WAL set aside, and the answers version 1's
    /// reader gave on it.
    static func sealedCopyOfGolden(_ dir: TemporaryDirectory) throws -> (path: String, expected: String) {
        let path = try copyOfGolden(dir)
        try FileManager.default.removeItem(atPath: path + "/wal")
        try FileManager.default.createDirectory(atPath: path + "/wal", withIntermediateDirectories: true)
        let expected = try String(contentsOfFile: try #require(Bundle.module.path(forResource: "golden-v1", ofType: "expected",
                                                                                      inDirectory: "Fixtures")), encoding: .utf8)
        return (path, expected)
    }

    /// The sealed chunks alone (the WAL set aside) answer as version 1's reader did, which
    /// saw only sealed chunks.
    @Test func sealedChunksAnswerAsVersion1Did() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (path, expected) = try Self.sealedCopyOfGolden(dir)
        let reader = try Store.openReader(at: path)
        #expect(try Self.answers(reader) == expected)
        #expect(try reader.verify().isEmpty)
    }

    /// `compact` gives the golden store's chunks (written before rollups) their rollups,
    /// and the store still answers as version 1 did.
    @Test func compactionAddsRollupsToOldChunks() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (path, expected) = try Self.sealedCopyOfGolden(dir)
        let store = try Store.open(at: path)
        func rollups() throws -> (with: Int, without: Int) {
            try store.withContext { snapshot in
                let reader = DataFileReader(snapshot)
                var counts = (with: 0, without: 0)
                for device in try snapshot.deviceNames() {
                    for chunk in try snapshot.index.chunks(of: device)
                    where ChunkRollup.cellStart(of: chunk.minTimestamp) != ChunkRollup.cellStart(of: chunk.maxTimestamp) {
                        if try reader.summary(chunk).rollup == nil { counts.without += 1 } else { counts.with += 1 }
                    }
                }
                return counts
            }
        }
        let before = try rollups()
        #expect(before.with == 0 && before.without > 0)
        _ = try store.compact()
        let after = try rollups()
        #expect(after.with > 0 && after.without == 0)
        #expect(try Self.answers(store) == expected)
        #expect(try store.verify().isEmpty)
        // Nothing is left to upgrade: a second compaction rewrites nothing.
        #expect(try store.compact().deviceDaysCompacted == 0)
        try store.close()
    }

    /// A reader follows the WAL a version-1 writer left: it answers as that store's writer
    /// does after replaying it, and changes nothing on disk.
    @Test func readerSeesTheGoldenWALRows() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = try Self.copyOfGolden(dir)
        let walBefore = try Data(contentsOf: URL(fileURLWithPath: path + "/wal/0000000000000001.wal"))
        let expected = try String(contentsOfFile: try #require(Bundle.module.path(forResource: "golden-v1-replayed", ofType: "expected",
                                                                                      inDirectory: "Fixtures")), encoding: .utf8)
        let reader = try Store.openReader(at: path)
        #expect(try Self.answers(reader) == expected)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path + "/wal/0000000000000001.wal")) == walBefore)
    }

    @Test func writerReplaysTheGoldenWAL() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = try Self.copyOfGolden(dir)
        let expected = try String(contentsOfFile: try #require(Bundle.module.path(forResource: "golden-v1-replayed", ofType: "expected",
                                                                                      inDirectory: "Fixtures")), encoding: .utf8)
        let writer = try Store.open(at: path)
        #expect(writer.recoveryReport.rowsRecovered == 2)
        #expect(try Self.answers(writer) == expected)
        try writer.close()
        let reader = try Store.openReader(at: path)
        #expect(try Self.answers(reader) == expected)
        #expect(try reader.verify().isEmpty)
    }
}
