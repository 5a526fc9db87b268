import Foundation
import Testing
@testable import ChunkStore

/// Compaction (SPEC §8, "Compaction and drops"): a fragmented store answers exactly as
/// before, with at most ceil(rows / limit) chunks per device-day, for every policy.
@Suite struct CompactionTests {
    static let second: Int64 = 1_000_000_000
    static let day: Int64 = 86_400 * second
    /// 2026-01-01T00:00:00Z.
    static let start: Int64 = 20_454 * day
    static let limit = 16

    static func options(_ policy: DuplicatePolicy, trigger: Int = 0) -> StoreOptions {
        var options = StoreOptions(sync: .none, duplicatePolicy: policy, chunkRowLimit: limit)
        options.compactionTrigger = trigger
        return options
    }

    /// Many small flushed appends over three devices and two days: late rows, re-sent
    /// duplicates with other values, fields that come and go, NaN and infinities.
    static func fragment(_ store: Store, seed: UInt64, appends: Int = 40) throws {
        var random = SeededRandom(seed: seed)
        for k in 0..<appends {
            var rows: [Row] = []
            for device in ["a", "b", "c"] {
                for _ in 0..<Int(random.next() % 6) {
                    let dayOffset = Int64(random.next() % 2)
                    // Mostly forward in time with k, sometimes far back (late), sometimes a re-send.
                    let minute = random.next() % 5 == 0 ? Int64(random.next() % 60) : Int64(k * 3) + Int64(random.next() % 3)
                    var fields: [String: FieldValue] = [:]
                    let pick = random.next() % 7
                    fields["v"] = .float(pick == 0 ? .nan : pick == 1 ? .infinity : Double(random.next() % 1000) / 8)
                    if random.next() % 3 != 0 { fields["n"] = .int(Int64(random.next() % 100) - 50) }
                    if random.next() % 4 == 0 { fields["on"] = .bool(random.next() % 2 == 0) }
                    rows.append(Row(device: device, timestamp: start + dayOffset * day + minute * 60 * second, fields: fields))
                }
            }
            try store.append(rows)
            try store.flush()
        }
    }

    /// Every answer a query can give, as text (NaN compares equal to itself this way).
    static func answers(_ store: Store) throws -> [String] {
        var out: [String] = []
        for device in ["a", "b", "c"] {
            let range = try store.range(device: device)
            out.append("\(device) \(range.fieldNames) \(range.timestamps) \(range.values)")
            let agg = try store.downsample(DownsampleQuery(device: device, from: start, to: start + 2 * day, fields: ["v", "n", "on"],
                                                          bucket: .nanoseconds(3_600 * second), functions: AggregateFunction.allCases))
            out.append("\(agg)")
        }
        for row in try store.latest() {
            out.append("\(row.device) \(row.timestamp) \(row.fields.sorted { $0.key < $1.key })")
        }
        out.append("\(try store.devices())")
        return out
    }

    /// Chunks per device-day, and their rows.
    static func chunksPerDeviceDay(_ path: String) throws -> [String: (chunks: Int, rows: Int)] {
        let layout = StoreLayout(root: path)
        let manifest = try Manifest.load(from: path, fileSystem: PosixFileSystem())
        let index = try IndexSet(manifest: manifest, layout: layout, fileSystem: PosixFileSystem())
        var result: [String: (chunks: Int, rows: Int)] = [:]
        for summary in try index.summaries(policy: manifest.duplicatePolicy) {
            for chunk in summary.chunks {
                result["\(summary.device)/\(chunk.day)", default: (0, 0)].chunks += 1
                result["\(summary.device)/\(chunk.day)", default: (0, 0)].rows += chunk.rowCount
            }
        }
        return result
    }

    @Test(arguments: DuplicatePolicy.allCases)
    func compactionKeepsEveryAnswer(_ policy: DuplicatePolicy) throws {
        let dir = TemporaryDirectory("compact")
        defer { dir.remove() }
        let path = dir.child("s")
        let store = try Store.open(at: path, options: Self.options(policy))
        try Self.fragment(store, seed: UInt64(policy.rawValue))
        let before = try Self.answers(store)
        let fragmented = try Self.chunksPerDeviceDay(path)
        #expect(fragmented.values.contains { $0.chunks > 4 }, "the workload must fragment")

        let report = try store.compact()
        #expect(report.deviceDaysCompacted > 0 && report.chunksAfter < report.chunksBefore)
        #expect(report.bytesAfter < report.bytesBefore)
        #expect(try Self.answers(store) == before)
        for (key, value) in try Self.chunksPerDeviceDay(path) {
            // Rows here are after duplicates resolve (the merge wrote them).
            #expect(value.chunks <= max(1, (value.rows + Self.limit - 1) / Self.limit), "\(key): \(value)")
        }
        #expect(try store.verify().isEmpty)
        #expect(try store.compact().deviceDaysCompacted == 0, "a second compaction finds nothing to do")
        // One data file per day, and only the live index segment.
        let dataFiles = try FileManager.default.contentsOfDirectory(atPath: path + "/data")
        #expect(dataFiles.count == 2, "\(dataFiles)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasPrefix("index-") }.count == 1)
        try store.close()

        let reopened = try Store.open(at: path, options: Self.options(policy))
        #expect(try Self.answers(reopened) == before)
        try reopened.close()
        let reader = try Store.openReader(at: path)
        #expect(try Self.answers(reader) == before)
    }

    /// Rows still in the head (and the WAL) when their device-day is compacted stay newer
    /// than the merged chunk, for the writer, a reader and recovery.
    @Test func unsealedRowsStayNewerThanTheMergedChunk() throws {
        let dir = TemporaryDirectory("compact")
        defer { dir.remove() }
        let path = dir.child("s")
        var store: Store? = try Store.open(at: path, options: Self.options(.last))
        try Self.fragment(store!, seed: 7)
        let t = Self.start + 10 * 60 * Self.second
        try store!.append([Row(device: "a", timestamp: t, fields: ["v": .float(-1)])])
        _ = try store!.compact()
        let own = try store!.range(device: "a", from: t, to: t + 1)
        #expect(own.values[own.fieldNames.firstIndex(of: "v")!][0] == .float(-1))
        let reader = try Store.openReader(at: path)
        let seen = try reader.range(device: "a", from: t, to: t + 1)
        #expect(seen.values[seen.fieldNames.firstIndex(of: "v")!][0] == .float(-1))
        let before = try Self.answers(store!)
        #expect(try Self.answers(reader) == before)
        store = nil  // no close: the next open replays the WAL
        let recovered = try Store.open(at: path, options: Self.options(.last))
        #expect(try Self.answers(recovered) == before)
        try recovered.close()
    }

    /// The automatic policy keeps every device-day within `trigger` chunks of its minimum.
    @Test func writerCompactsOnItsOwn() throws {
        let dir = TemporaryDirectory("compact")
        defer { dir.remove() }
        let path = dir.child("s")
        let trigger = 3
        let store = try Store.open(at: path, options: Self.options(.last, trigger: trigger))
        var worst = 0
        for k in 0..<30 {
            try store.append([Row(device: "a", timestamp: Self.start + Int64(k) * Self.second, fields: ["v": .float(Double(k))])])
            try store.flush()
            for value in try Self.chunksPerDeviceDay(path).values {
                worst = max(worst, value.chunks - max(1, (value.rows + Self.limit - 1) / Self.limit))
            }
        }
        #expect(worst < trigger, "a device-day reached \(worst) chunks over its minimum")
        #expect(try store.range(device: "a").timestamps.count == 30)
        #expect(try FileManager.default.contentsOfDirectory(atPath: path + "/data").count == 1)
        try store.close()
    }

    /// A day whose chunks overlap after a late row is merged once the device's next day
    /// is sealed (it has settled), even though it is far below the trigger; and only then.
    @Test func aSettledDayWithOverlapsIsMergedWhenTheNextDaySeals() throws {
        let dir = TemporaryDirectory("compact")
        defer { dir.remove() }
        let path = dir.child("s")
        let store = try Store.open(at: path, options: Self.options(.last, trigger: 4))
        try store.append((0..<10).map { Row(device: "a", timestamp: Self.start + Int64($0) * 60 * Self.second, fields: ["v": .int(Int64($0))]) })
        try store.flush()
        // A late row inside the first chunk's span: a second, overlapping chunk.
        try store.append([Row(device: "a", timestamp: Self.start + 90 * Self.second, fields: ["v": .int(100)])])
        try store.flush()
        let day = Int32(Self.start / Self.day)
        #expect(try Self.chunksPerDeviceDay(path)["a/\(day)"]?.chunks == 2)
        let before = try store.range(device: "a")
        try store.append([Row(device: "a", timestamp: Self.start + Self.day + Self.second, fields: ["v": .int(7)])])
        try store.flush()
        #expect(try Self.chunksPerDeviceDay(path)["a/\(day)"]?.chunks == 1)
        let after = try store.range(device: "a", to: Self.start + Self.day)
        #expect(after.timestamps == before.timestamps && after.values == before.values)
        try store.close()
    }

    /// Without a manifest, repair must pick one file per day: the newest that reads back
    /// whole (a rewrite that finished), else the older one (a rewrite cut short).
    @Test func repairWithoutManifestPicksTheWholeNewestFile() throws {
        let dir = TemporaryDirectory("compact")
        defer { dir.remove() }
        let path = dir.child("s")
        let fm = FileManager.default
        var store = try Store.open(at: path, options: Self.options(.last))
        try Self.fragment(store, seed: 11)
        try store.close()
        let before = try Self.answers(try Store.openReader(at: path))
        let oldFiles = try fm.contentsOfDirectory(atPath: path + "/data")
        for name in oldFiles { try fm.copyItem(atPath: path + "/data/" + name, toPath: dir.child(name)) }
        store = try Store.open(at: path, options: Self.options(.last))
        _ = try store.compact()
        try store.close()
        let newFiles = try fm.contentsOfDirectory(atPath: path + "/data")
        #expect(Set(newFiles).isDisjoint(with: oldFiles))

        // Finished rewrite, old files still there (a crash before their deletion).
        for name in oldFiles { try fm.copyItem(atPath: dir.child(name), toPath: path + "/data/" + name) }
        try fm.removeItem(atPath: path + "/MANIFEST")
        let finished = try Store.repair(at: path)
        #expect(finished.manifestRebuilt && finished.damaged.isEmpty)
        #expect(try Self.answers(try Store.openReader(at: path)) == before)

        // The newest files cut short (a crash while writing them), the old ones whole.
        for name in newFiles {
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path + "/data/" + name))
            try handle.truncate(atOffset: try handle.seekToEnd() - 3)
            try handle.close()
        }
        for name in oldFiles where !fm.fileExists(atPath: path + "/data/" + name) {
            try fm.copyItem(atPath: dir.child(name), toPath: path + "/data/" + name)
        }
        try fm.removeItem(atPath: path + "/MANIFEST")
        _ = try Store.repair(at: path)
        let repaired = try Store.openReader(at: path)
        #expect(try Self.answers(repaired) == before)
        #expect(try repaired.verify().isEmpty)
    }
}
