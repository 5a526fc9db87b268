import Testing
@testable import ChunkStore

/// The summary without percentiles and gaps, answered from stored aggregates, against the
/// row path (the full summary) on the same store.
@Suite struct SummaryAggregatesTests {
    static let minute: Int64 = 60_000_000_000
    static let hour = 60 * minute
    static let day = 24 * hour
    /// 2026-01-01T00:00:00Z.
    static let base: Int64 = 1_767_225_600_000_000_000

    static func options() -> StoreOptions {
        var options = StoreOptions()
        options.sync = .none
        options.chunkRowLimit = 500
        options.compactionTrigger = 0
        return options
    }

    /// Two days of five-minute readings per device (`p` float, `n` int; `q` only on every
    /// third row of odd devices, so their chunks have no field in every row for some queries),
    /// sealed; then late rows, duplicates of stored timestamps and an overlapping late chunk,
    /// sealed; then rows left in the head.
    static func fill(_ store: Store) throws {
        var random = SeededRandom(seed: 1414)
        for d in 0..<6 {
            var energy = Double(d) * 10
            let rows = (0..<576).map { i -> Row in
                energy += Double(Int.random(in: 0..<40, using: &random)) / 100
                if i == 300 && d == 2 { energy = 1 }  // a meter reset
                var fields: [String: FieldValue] = [
                    "p": .float(Double(Int.random(in: 0..<10_000, using: &random)) / 10 + Double((i / 12) % 24 * d)),
                    "n": .int(Int64(Int.random(in: -500..<500, using: &random))),
                    "e": .float(energy),
                ]
                if d % 2 == 1, i % 3 == 0 { fields["q"] = .float(Double(i)) }
                return Row(device: "m\(d)", timestamp: base + Int64(i) * 5 * minute, fields: fields)
            }
            try store.append(rows)
        }
        try store.flush()
        // Late rows between stored ones, duplicates of stored timestamps (replacing values),
        // and a late row before the first reading.
        var late: [Row] = []
        for d in [0, 3, 4] {
            for i in stride(from: 7, to: 500, by: 61) {
                late.append(Row(device: "m\(d)", timestamp: base + Int64(i) * 5 * minute + 2 * minute, fields: ["p": .float(Double(i) * 1.5)]))
                late.append(Row(device: "m\(d)", timestamp: base + Int64(i + 3) * 5 * minute, fields: ["p": .float(-Double(i)), "n": .int(7)]))
            }
            late.append(Row(device: "m\(d)", timestamp: base - 3 * minute, fields: ["p": .float(42)]))
        }
        try store.append(late)
        try store.flush()
        // Rows still in the head: new ones at the end, one late and one duplicate.
        var head: [Row] = []
        for d in [1, 4, 5] {
            head.append(Row(device: "m\(d)", timestamp: base + 576 * 5 * minute + Int64(d) * minute, fields: ["p": .float(1), "e": .float(500)]))
            head.append(Row(device: "m\(d)", timestamp: base + 100 * 5 * minute + minute, fields: ["p": .float(2)]))
            head.append(Row(device: "m\(d)", timestamp: base + 200 * 5 * minute, fields: ["p": .float(3), "n": .int(-9)]))
        }
        try store.append(head)
    }

    static func close(_ a: Double, _ b: Double) -> Bool {
        a == b || abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    }

    /// Both summaries of `request`: the full one (rows) and the one without percentiles and gaps.
    static func compare(_ store: Store, _ request: SummaryRequest, _ context: String) throws {
        var lean = request
        lean.percentiles = false
        lean.gaps = false
        let full = try store.summary(request)
        let fast = try store.summary(lean)
        #expect(full.devices.map(\.device) == fast.devices.map(\.device), "\(context)")
        #expect(!full.devices.isEmpty, "\(context)")
        for (a, b) in zip(full.devices, fast.devices) {
            #expect(a.rows == b.rows && a.first == b.first && a.last == b.last, "\(context) \(a.device)")
            #expect(b.interval == nil && b.gaps == nil && b.longestStep == nil && a.gaps != nil, "\(context) \(a.device)")
            #expect(a.fields.map(\.name) == b.fields.map(\.name), "\(context) \(a.device)")
            for (x, y) in zip(a.fields, b.fields) {
                #expect(x.count == y.count && x.min == y.min && x.max == y.max, "\(context) \(a.device) \(x.name)")
                #expect(close(x.mean, y.mean), "\(context) \(a.device) \(x.name): \(x.mean) vs \(y.mean)")
                #expect(y.p50 == nil && y.p95 == nil && x.p50 != nil)
            }
            #expect(a.consumption == b.consumption, "\(context) \(a.device)")
        }
        #expect(full.clusters.map(\.members) == fast.clusters.map(\.members), "\(context)")
        for (x, y) in zip(full.clusters, fast.clusters) {
            #expect(zip(x.centroid, y.centroid).allSatisfy { close($0, $1) }, "\(context) \(x.centroid) vs \(y.centroid)")
        }
    }

    @Test func aggregatesAnswerAsTheRows() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"), options: Self.options())
        try Self.fill(store)
        let ranges: [(Int64?, Int64?)] = [
            (nil, nil), (Self.base, Self.base + Self.day), (Self.base + 90 * Self.minute, Self.base + 30 * Self.hour + 7 * Self.minute),
            (Self.base + Self.day, nil), (nil, Self.base + 5 * Self.hour),
        ]
        for (from, to) in ranges {
            var request = SummaryRequest(from: from, to: to)
            try Self.compare(store, request, "all fields \(String(describing: from))-\(String(describing: to))")
            request.fields = ["p", "q"]
            request.counter = "e"
            request.clusters = 2
            try Self.compare(store, request, "p, q, counter, clusters \(String(describing: from))-\(String(describing: to))")
        }
        // And once everything is sealed.
        try store.flush()
        var request = SummaryRequest()
        request.clusters = 3
        try Self.compare(store, request, "sealed")
        try store.close()
    }

    /// Chunks decoded by the summary of `request` over `from..<to`.
    static func decodes(_ store: Store, _ request: SummaryRequest, _ from: Int64, _ to: Int64) throws -> Int {
        try store.withContext { snapshot in
            let reader = DataFileReader(snapshot)
            _ = try snapshot.summary(request, from: from, toInclusive: to - 1, reader: reader)
            return reader.chunksDecoded
        }
    }

    @Test func wholeChunksAndRollupCellsDecodeNoRows() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = Self.options()
        options.chunkRowLimit = 8192
        let store = try Store.open(at: dir.child("s"), options: options)
        // Three devices, one day of minute readings each: one chunk per device, 24 rollup cells.
        for d in 0..<3 {
            try store.append((0..<1440).map { i in
                Row(device: "m\(d)", timestamp: Self.base + Int64(i) * Self.minute,
                    fields: ["p": .float(Double((i / 60 + d * 8) % 24 < 6 ? 10 : 1) + Double(i % 7))])
            })
        }
        try store.flush()
        var lean = SummaryRequest()
        lean.percentiles = false
        lean.gaps = false
        lean.clusters = 2
        let dayEnd = Self.base + Self.day
        #expect(try Self.decodes(store, lean, Self.base, dayEnd) == 0)
        // The rows path decodes every chunk.
        var full = lean
        full.percentiles = true
        full.gaps = true
        #expect(try Self.decodes(store, full, Self.base, dayEnd) == 3)
        // A range starting mid-hour: each device's chunk is decoded once, for its 01:00
        // cell; every other hour comes from the rollup (statistics and profile alike).
        #expect(try Self.decodes(store, lean, Self.base + 90 * Self.minute, dayEnd) == 3)
        lean.clusters = 0
        #expect(try Self.decodes(store, lean, Self.base + 90 * Self.minute, dayEnd) == 3)
        #expect(try Self.decodes(store, lean, Self.base, dayEnd) == 0)
        // A late row at 03:10 on one device: its chunk and the late one are decoded for the
        // 03:00 cell only; the other devices still decode nothing.
        try store.append([Row(device: "m1", timestamp: Self.base + 190 * Self.minute + 1, fields: ["p": .float(1000)])])
        try store.flush()
        #expect(try Self.decodes(store, lean, Self.base, dayEnd) == 2)
        lean.clusters = 2
        #expect(try Self.decodes(store, lean, Self.base, dayEnd) == 2)
        try Self.compare(store, SummaryRequest(from: Self.base, to: dayEnd), "late row")
        try store.close()
    }
}
