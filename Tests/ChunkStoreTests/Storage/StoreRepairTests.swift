import Foundation
import Testing
@testable import ChunkStore

@Suite struct StoreRepairTests {
    let minute: Int64 = 60_000_000_000

    /// Three chunks of one device in one day file, each sealed by its own flush.
    func buildStore(_ path: String) throws -> [RangeResult] {
        let store = try Store.open(at: path)
        var parts: [RangeResult] = []
        for part in Int64(0)..<3 {
            let rows = (Int64(0)..<50).map { i in
                Row(device: "m", timestamp: (part * 100 + i) * minute, fields: ["v": .float(Double(part * 100 + i) / 4)])
            }
            try store.append(rows)
            try store.flush()
            parts.append(try store.range(device: "m", from: part * 100 * minute, to: (part * 100 + 50) * minute))
        }
        try store.close()
        return parts
    }

    func flipByte(_ path: String, at offset: Int) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64(offset))
        let byte = try #require(try handle.read(upToCount: 1)).first ?? 0
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: [byte ^ 0x5A])
        try handle.close()
    }

    @Test func rebuildsTheIndexFromDataFilesAlone() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.child("s")
        let parts = try buildStore(path)
        for name in try FileManager.default.contentsOfDirectory(atPath: path) where name.hasPrefix("index-") || name == "MANIFEST" {
            try FileManager.default.removeItem(atPath: path + "/" + name)
        }
        let report = try Store.repair(at: path)
        #expect(report.chunksKept == 3 && report.damaged.isEmpty && report.manifestRebuilt)
        let reader = try Store.openReader(at: path)
        #expect(try reader.verify().isEmpty)
        let all = try reader.range(device: "m")
        #expect(all.timestamps == parts.flatMap(\.timestamps))
    }

    @Test func dropsOnlyTheDamagedChunkAndMovesTheFileAside() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.child("s")
        let parts = try buildStore(path)
        let names = try FileManager.default.contentsOfDirectory(atPath: path + "/data")
        #expect(names.count == 1 && names[0].hasPrefix("1970-01-01.") && names[0].hasSuffix(".csd"))
        let dataFile = path + "/data/" + names[0]
        let size = try #require(try FileManager.default.attributesOfItem(atPath: dataFile)[.size] as? Int)
        // The middle chunk: damage a byte a little past the middle of the file.
        try flipByte(dataFile, at: size / 2)
        let reader = try Store.openReader(at: path)
        let problems = try reader.verify()
        #expect(!problems.isEmpty)
        #expect(problems.contains { "\($0)".contains(names[0]) })
        #expect(throws: StoreError.self) { try reader.range(device: "m") }

        let report = try Store.repair(at: path)
        #expect(report.chunksKept == 2 && report.damaged.count == 1 && report.movedAside.count == 1)
        let repaired = try Store.openReader(at: path)
        #expect(try repaired.verify().isEmpty)
        #expect(try repaired.range(device: "m").timestamps == parts[0].timestamps + parts[2].timestamps)
        // The store goes on accepting writes.
        let writer = try Store.open(at: path)
        try writer.append([Row(device: "m", timestamp: 1, fields: ["v": .float(0)])])
        try writer.close()
    }

    @Test func refusedWhileAWriterIsOpen() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let writer = try Store.open(at: dir.child("s"))
        #expect(throws: StoreError.locked(path: dir.child("s"))) { try Store.repair(at: dir.child("s")) }
        try writer.close()
    }
}
