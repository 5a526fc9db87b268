import Testing
@testable import ChunkStore

/// `devices()` and `info()` count rows and points after duplicate resolution: exactly what a
/// query over all time returns, with re-sent data, late rows, unsealed rows and readers.
@Suite struct ExactCountsTests {
    static func rows(_ device: String, _ seconds: some Sequence<Int64>, fields: [String] = ["p", "v"]) -> [Row] {
        seconds.map { s in
            Row(device: device, timestamp: s * 1_000_000_000,
                fields: Dictionary(uniqueKeysWithValues: fields.map { ($0, FieldValue.int(s)) }))
        }
    }

    /// What a query returns, counted independently.
    static func queried(_ store: Store) throws -> [String: (rows: Int, points: Int)] {
        var counts: [String: (Int, Int)] = [:]
        for device in try store.devices().map(\.device) {
            let range = try store.range(device: device)
            counts[device] = (range.count, range.values.reduce(0) { $0 + $1.filter { $0 != nil }.count })
        }
        return counts
    }

    static func check(_ store: Store, _ label: String) throws {
        let expected = try queried(store)
        var rows = 0, points = 0
        for info in try store.devices() {
            #expect(info.rows == expected[info.device]?.rows, "\(label) \(info.device) rows")
            #expect(info.points == expected[info.device]?.points, "\(label) \(info.device) points")
            rows += info.rows
            points += info.points
        }
        let info = try store.info()
        #expect(info.rows == rows && info.points == points, "\(label) info")
    }

    @Test func ingestingTheSameDataTwiceCountsItOnce() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = StoreOptions(sync: .none)
        options.chunkRowLimit = 100
        for _ in 0..<2 {
            let store = try Store.open(at: dir.child("s"), options: options)
            try store.append(Self.rows("m", 0..<1000))
            try store.close()
        }
        let reader = try Store.openReader(at: dir.child("s"))
        #expect(try reader.devices().map(\.rows) == [1000])
        #expect(try reader.devices().map(\.points) == [2000])
        #expect(try reader.info().rows == 1000)
        #expect(try reader.info().chunks == 20)
    }

    /// Random appends with late rows, re-sends and partial rows, for every policy; checked
    /// on the writer (head included), on a reader following the WAL, and after close.
    @Test(arguments: DuplicatePolicy.allCases)
    func countsEqualWhatQueriesReturn(policy: DuplicatePolicy) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var rng = SeededRandom(seed: 0xC0DE &+ UInt64(policy.rawValue))
        var options = StoreOptions(sync: .none)
        options.duplicatePolicy = policy
        options.chunkRowLimit = 25
        let writer = try Store.open(at: dir.child("s"), options: options)
        let reader = try Store.openReader(at: dir.child("s"))
        for step in 0..<25 {
            var batch: [Row] = []
            for _ in 0..<Int.random(in: 1...40, using: &rng) {
                let device = rng.pick(["a", "b"])
                let second = Int64.random(in: 0..<(2 * 86_400), using: &rng) / 900 * 900
                let fields = rng.chance(0.5) ? ["p"] : ["p", "v"]
                batch += Self.rows(device, [second], fields: fields)
            }
            try writer.append(batch)
            if rng.chance(0.3) { try writer.flush() }
            try Self.check(writer, "writer step \(step)")
            try Self.check(reader, "reader step \(step)")
        }
        try writer.close()
        try Self.check(reader, "closed")
    }
}
