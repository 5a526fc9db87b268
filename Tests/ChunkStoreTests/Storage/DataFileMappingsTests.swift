import Foundation
import Testing
@testable import ChunkStore

/// Queries read chunk records through mappings of the data files that a store keeps
/// between queries: a mapping grows with its day, follows a rewrite to the new file,
/// stays valid for the query holding it, and a damaged (short) file is reported, not
/// faulted on.
@Suite struct DataFileMappingsTests {
    static let start: Int64 = 20_454 * 86_400_000_000_000
    static let minute: Int64 = 60_000_000_000

    private func rows(_ range: Range<Int>, device: String = "a") -> [Row] {
        range.map { Row(device: device, timestamp: Self.start + Int64($0) * Self.minute, fields: ["v": .float(Double($0))]) }
    }

    @Test func aReaderSeesChunksSealedAfterItMappedTheDay() throws {
        let dir = TemporaryDirectory("mappings")
        defer { dir.remove() }
        let writer = try Store.open(at: dir.child("s"), options: StoreOptions(sync: .none))
        try writer.append(rows(0..<200))
        try writer.flush()
        let reader = try Store.openReader(at: dir.child("s"))
        #expect(try reader.range(device: "a").timestamps.count == 200)
        #expect(try writer.range(device: "a").timestamps.count == 200)
        // The same day's file grows past both stores' mappings.
        try writer.append(rows(200..<500))
        try writer.flush()
        #expect(try reader.range(device: "a").timestamps.count == 500)
        #expect(try writer.range(device: "a").timestamps.count == 500)
        let hourly = DownsampleQuery(device: "a", from: Self.start, to: Self.start + 500 * Self.minute, fields: ["v"],
                                     bucket: .nanoseconds(60 * Self.minute), functions: [.count, .max])
        let fromReader = try reader.downsample(hourly)
        #expect(fromReader.map { $0.values[0] } == (0..<9).map { .int($0 < 8 ? 60 : 20) })
        #expect(fromReader.last?.values[1] == .float(499))
        #expect(try writer.downsample(hourly).map(\.values) == fromReader.map(\.values))
        try reader.close()
        try writer.close()
    }

    @Test func aRewrittenDayIsMappedAfreshAndTheOldMappingStaysReadable() throws {
        let dir = TemporaryDirectory("mappings")
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"), options: StoreOptions(sync: .none))
        // Two overlapping chunks of one day, so that compaction rewrites it.
        try store.append(rows(0..<100))
        try store.flush()
        try store.append(rows(50..<150))
        try store.flush()
        let mappings = DataFileMappings()
        let before = try store.withContext { $0 }
        let day = try #require(before.manifest.dataFiles.first)
        let old = try #require(mappings.region(day, covering: day.committedLength, in: before))
        #expect(mappings.mappedFile(ofDay: day.day) == day.number)
        #expect(mappings.region(day, covering: day.committedLength + 1, in: before) == nil, "only committed bytes are mapped")

        _ = try store.compact()
        let after = try store.withContext { $0 }
        let rewritten = try #require(after.manifest.dataFile(ofDay: day.day))
        #expect(rewritten.number != day.number)
        #expect(!FileManager.default.fileExists(atPath: before.layout.dataFile(day)), "compaction removed the old file")
        let new = try #require(mappings.region(rewritten, covering: rewritten.committedLength, in: after))
        #expect(mappings.mappedFile(ofDay: day.day) == rewritten.number)
        // The old file's bytes, still held, read as they were: its header names its day.
        #expect(try DataFile.checkHeader(old.bytes, path: "old") == day.day)
        #expect(try DataFile.checkHeader(new.bytes, path: "new") == day.day)
        #expect(try store.range(device: "a").timestamps.count == 150)
        try store.close()
    }

    /// Repair rewrites a damaged day file under the same name: a reader that mapped the
    /// old file answers from the new one after the repair, neither failing nor reading
    /// another chunk's bytes.
    @Test func aReaderFollowsADayFileThatRepairReplaced() throws {
        let dir = TemporaryDirectory("mappings")
        defer { dir.remove() }
        let path = dir.child("s")
        let writer = try Store.open(at: path, options: StoreOptions(sync: .none))
        for part in 0..<3 {
            try writer.append(rows(part * 100..<(part * 100 + 50)))
            try writer.flush()
        }
        let snapshot = try writer.withContext { $0 }
        try writer.close()
        let file = try #require(snapshot.manifest.dataFiles.first)
        let reader = try Store.openReader(at: path)
        #expect(try reader.range(device: "a").timestamps.count == 150)  // maps the file

        // Damage the middle chunk, then repair: its file is rewritten without it.
        let dataFile = snapshot.layout.dataFile(file)
        let handle = try #require(FileHandle(forUpdatingAtPath: dataFile))
        try handle.seek(toOffset: UInt64(file.committedLength / 2))
        let byte = try #require(try handle.read(upToCount: 1)).first ?? 0
        try handle.seek(toOffset: UInt64(file.committedLength / 2))
        try handle.write(contentsOf: [byte ^ 0x5A])
        try handle.close()
        let report = try Store.repair(at: path)
        #expect(report.chunksKept == 2 && report.damaged.count == 1)
        let after = try Store.openReader(at: path)
        let repaired = try after.range(device: "a").timestamps
        #expect(repaired.count == 100)
        #expect(try reader.range(device: "a").timestamps == repaired)
        let hourly = DownsampleQuery(device: "a", from: Self.start, to: Self.start + 300 * Self.minute, fields: ["v"],
                                     bucket: .nanoseconds(60 * Self.minute), functions: [.count, .max])
        #expect(try reader.downsample(hourly).map(\.values) == after.downsample(hourly).map(\.values))
        try reader.close()
        try after.close()
    }

    @Test func startsOverWhenFull() throws {
        let dir = TemporaryDirectory("mappings")
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"), options: StoreOptions(sync: .none))
        try store.append(rows(0..<10) + rows(1_440..<1_450))  // two days
        try store.flush()
        let snapshot = try store.withContext { $0 }
        let files = snapshot.manifest.dataFiles
        try #require(files.count == 2)
        let mappings = DataFileMappings(capacity: 1)
        #expect(mappings.region(files[0], covering: 1, in: snapshot) != nil)
        #expect(mappings.region(files[1], covering: 1, in: snapshot) != nil)
        #expect(mappings.mappedFile(ofDay: files[0].day) == nil)
        #expect(mappings.mappedFile(ofDay: files[1].day) == files[1].number)
        try store.close()
    }

    @Test func aShortDataFileIsReportedCutShort() throws {
        let dir = TemporaryDirectory("mappings")
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"), options: StoreOptions(sync: .none))
        try store.append(rows(0..<300))
        try store.flush()
        let snapshot = try store.withContext { $0 }
        let file = try #require(snapshot.manifest.dataFiles.first)
        try store.close()
        let path = snapshot.layout.dataFile(file)
        #expect(truncate(path, off_t(file.committedLength / 2)) == 0)

        let reader = try Store.openReader(at: dir.child("s"))
        var message = "answered"
        do { _ = try reader.range(device: "a") } catch { message = "\(error)" }
        #expect(message.contains("cut short"))
        try reader.close()
    }
}
