import Foundation
import Testing
@testable import ChunkStore

/// Readers follow the writer's WAL: unsealed rows are visible to `Store.openReader`, rows
/// are counted once when they are sealed, and a torn or damaged tail is read around,
/// never repaired by a reader.
@Suite struct WALTailTests {
    static func options(rowLimit: Int = 8192, policy: DuplicatePolicy = .last, segmentSize: Int = 64 << 20) -> StoreOptions {
        var options = StoreOptions()
        options.sync = .none
        options.chunkRowLimit = rowLimit
        options.duplicatePolicy = policy
        options.walSegmentSize = segmentSize
        return options
    }

    static func rows(_ device: String, _ range: Range<Int64>, value: Int64 = 0) -> [Row] {
        range.map { Row(device: device, timestamp: $0 * 1_000_000_000, fields: ["v": .int($0 + value)]) }
    }

    @Test func readerSeesUnsealedRowsThenTheSameRowsSealedOnce() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let writer = try Store.open(at: dir.child("s"), options: Self.options())
        try writer.append(Self.rows("a", 0..<3))
        let reader = try Store.openReader(at: dir.child("s"))
        #expect(try reader.range(device: "a").count == 3)
        try writer.append(Self.rows("a", 3..<5) + Self.rows("b", 0..<2))
        #expect(try reader.range(device: "a").count == 5)
        #expect(try reader.devices().map(\.device) == ["a", "b"])
        #expect(try reader.latest(device: "a").timestamps == [4_000_000_000])
        try writer.flush()
        #expect(try reader.range(device: "a").count == 5)
        try writer.append(Self.rows("a", 5..<6))
        #expect(try reader.range(device: "a").timestamps.last == 5_000_000_000)
        try writer.close()
        #expect(try reader.range(device: "a").count == 6)
        #expect(try reader.range(device: "b").count == 2)
        try reader.close()
    }

    /// After every step of a random workload (late rows, re-sent rows, seals, WAL segment
    /// roll-overs), a reader answers exactly as the writer does, for every policy.
    @Test(arguments: DuplicatePolicy.allCases)
    func readerAnswersAsTheWriterDoes(policy: DuplicatePolicy) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var rng = SeededRandom(seed: 0xF2E5 &+ UInt64(policy.rawValue))
        let writer = try Store.open(at: dir.child("s"), options: Self.options(rowLimit: 40, policy: policy, segmentSize: 4096))
        let reader = try Store.openReader(at: dir.child("s"))
        let day: Int64 = 86_400
        for step in 0..<60 {
            var rows: [Row] = []
            for _ in 0..<Int.random(in: 1...30, using: &rng) {
                let device = rng.pick(["m1", "m2", "m3"])
                let second = Int64.random(in: 0..<(3 * day), using: &rng) / 600 * 600
                var fields: [String: FieldValue] = ["v": .int(Int64.random(in: -5...5, using: &rng))]
                if rng.chance(0.5) { fields["f"] = .float(Double(Int.random(in: 0...9, using: &rng)) / 4) }
                rows.append(Row(device: device, timestamp: second * 1_000_000_000, fields: fields))
            }
            try writer.append(rows)
            if rng.chance(0.15) { try writer.flush() }
            for device in ["m1", "m2", "m3", "none"] {
                #expect(try reader.range(device: device) == writer.range(device: device), "step \(step) \(device)")
            }
            #expect(try reader.latest() == writer.latest(), "step \(step)")
            let query = DownsampleQuery(device: nil, fields: ["v", "f"], bucket: .nanoseconds(3600 * 1_000_000_000),
                                        functions: [.count, .sum, .min, .max, .first, .last])
            #expect(try reader.downsample(query) == writer.downsample(query), "step \(step)")
        }
        try writer.close()
        try reader.close()
    }

    /// The newest segment's tail may be a record the writer is still writing: readers skip
    /// it, and leave the file exactly as it was.
    @Test func tornTailIsReadAroundAndLeftAlone() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let writer = try Store.open(at: dir.child("s"), options: Self.options())
        try writer.append(Self.rows("a", 0..<4))
        let segment = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.child("s/wal")).sorted().last)
        let path = dir.child("s/wal/" + segment)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0x12, 0x34, 0x56, 0x78, 0x40, 0, 0, 0, 1, 9, 9]))
        try handle.close()
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        let reader = try Store.openReader(at: dir.child("s"))
        #expect(try reader.range(device: "a").count == 4)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int == size)
        try reader.close()
        try writer.close()
    }

    /// A damaged record ends what a reader takes from its segment; the reader answers from
    /// the records before it and does not fail.
    @Test func damagedRecordEndsTheSegmentForReaders() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let writer = try Store.open(at: dir.child("s"), options: Self.options())
        try writer.append(Self.rows("a", 0..<2))
        let segment = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.child("s/wal")).sorted().last)
        let path = dir.child("s/wal/" + segment)
        let firstEnd = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        try writer.append(Self.rows("a", 2..<4))
        try writer.append(Self.rows("a", 4..<6))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[firstEnd + 12] ^= 0xFF // inside the second record's payload
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try Store.openReader(at: dir.child("s"))
        #expect(try reader.range(device: "a").timestamps == [0, 1_000_000_000])
        try reader.close()
    }
}
