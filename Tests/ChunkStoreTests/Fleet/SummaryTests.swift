import Testing
@testable import ChunkStore

@Suite struct SummaryTests {
    static let minute: Int64 = 60_000_000_000

    @Test func statisticsMatchAnIndependentComputation() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("store"))
        var random = SeededRandom(seed: 14)
        var expected: [String: (rows: Int, power: [Double], kwh: Double, gaps: Int)] = [:]
        for d in 0..<12 {
            let device = "meter-\(d)"
            var rows: [Row] = []
            var power: [Double] = []
            var counter = Double(d * 100), consumed = 0.0, gaps = 0
            var minute: Int64 = 0
            for i in 0..<200 {
                // Every 50th step skips 5 intervals: a gap (over 3 intervals).
                let step: Int64 = i % 50 == 49 ? 6 : 1
                if step > 3 { gaps += 1 }
                minute += step
                let p = Double(Int.random(in: 0..<10_000, using: &random)) / 10
                var increment = Double(Int.random(in: 0..<50, using: &random)) / 10
                if i == 120 { counter = 0; increment = 0.5 }  // a meter reset
                counter += increment
                consumed += i == 0 ? 0 : increment
                power.append(p)
                rows.append(Row(device: device, timestamp: minute * Self.minute, fields: ["power_w": .float(p), "energy_kwh": .float(counter)]))
            }
            try store.append(rows)
            expected[device] = (rows.count, power, consumed, gaps)
        }
        var request = SummaryRequest()
        request.fields = ["power_w"]
        request.counter = "energy_kwh"
        let summary = try store.summary(request)
        #expect(summary.devices.count == 12)
        for d in summary.devices {
            let e = try #require(expected[d.device])
            let sorted = e.power.sorted()
            let f = try #require(d.fields.first)
            #expect(d.rows == e.rows && d.gaps == e.gaps && d.interval == Self.minute && d.longestStep == 6 * Self.minute)
            #expect(f.name == "power_w" && f.count == e.rows)
            #expect(abs(f.mean - e.power.reduce(0, +) / Double(e.rows)) < 1e-9)
            #expect(f.min == sorted.first && f.max == sorted.last)
            // Nearest rank: 200 values, p50 is the 100th, p95 the 190th.
            #expect(f.p50 == sorted[99] && f.p95 == sorted[189])
            #expect(abs((d.consumption ?? -1) - e.kwh) < 1e-6)
        }
        // A range restricts every statistic.
        var late = SummaryRequest(from: 100 * Self.minute)
        late.fields = ["power_w"]
        let part = try store.summary(late)
        #expect(part.devices.allSatisfy { $0.first >= 100 * Self.minute && $0.rows < 200 })
        try store.close()
    }

    @Test func clustersRecoverKnownGroups() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("store"))
        var random = SeededRandom(seed: 7)
        // Three shapes of daily load, each at several scales: normalisation must group by shape.
        let shapes: [(String, (Int) -> Double)] = [
            ("morning", { h in h >= 6 && h < 10 ? 5 : 1 }),
            ("evening", { h in h >= 17 && h < 22 ? 5 : 1 }),
            ("flat", { _ in 2 }),
        ]
        var truth: [String: String] = [:]
        for (name, shape) in shapes {
            for i in 0..<8 {
                let device = "\(name)-\(i)"
                truth[device] = name
                let scale = Double(i + 1) * 3
                let rows = (0..<(24 * 4)).map { q -> Row in
                    let noise = 1 + Double(Int.random(in: -50...50, using: &random)) / 1000
                    return Row(device: device, timestamp: Int64(q) * 15 * Self.minute, fields: ["power_w": .float(shape(q / 4) * scale * noise)])
                }
                try store.append(rows)
            }
        }
        var request = SummaryRequest()
        request.fields = ["power_w"]
        request.clusters = 3
        let summary = try store.summary(request)
        #expect(summary.clusters.count == 3)
        for cluster in summary.clusters {
            #expect(cluster.size == 8)
            #expect(Set(cluster.members.map { truth[$0] }).count == 1, "\(cluster.members)")
            #expect(cluster.centroid.count == 24)
        }
        // Deterministic: the same request gives the same answer.
        #expect(try store.summary(request) == summary)
        try store.close()
    }
}
