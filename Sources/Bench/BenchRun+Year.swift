import ChunkStore
import Foundation

/// q-year (issue 11): one meter over 365 days in daily buckets, on its own store of
/// generated 5-second readings (30 days with --quick). With stored aggregates its cost
/// should follow the buckets returned, not the 6.3 million rows covered.
extension BenchRun {
    func queryYear() throws {
        var p = options.generator
        p.devices = 1
        p.days = options.quick ? 30 : 365
        var fleet = MeterFleet(p)
        let path = dir + "/cs-year"
        removeTree(path)
        let t0 = now()
        let store = try Store.open(at: path, options: BenchRun.storeOptions)
        var rows = 0
        while let batches = fleet.nextPeriod() {
            for b in batches {
                rows += b.timestamps.count
                try store.append(b)
            }
        }
        try store.flush()
        let loaded = Double(now() - t0) / 1e9
        let compaction = try store.compact()
        let info = try store.info()
        say("  1 meter × \(p.days) days: \(rows) rows loaded in \(String(format: "%.1f", loaded)) s; compaction merged "
              + "\(compaction.deviceDaysCompacted) device-days; \(info.chunks) chunks")
        try store.close()

        let reader = try Store.openReader(at: path)
        defer { try? reader.close() }
        let device = try reader.devices()[0].device
        let field = "power"
        let day: Int64 = 86_400_000_000_000
        let from = p.startNanos, to = p.startNanos + Int64(p.days) * day
        let query = DownsampleQuery(device: device, from: from, to: to, fields: [field], bucket: .nanoseconds(day),
                                    functions: [.count, .mean, .min, .max])
        // Checked once against the same aggregates computed here from every row.
        let answer = try reader.downsample(query)
        let range = try reader.range(device: device, from: from, to: to, fields: [field])
        var expected: [Int64: (count: Int, sum: Double, min: Double, max: Double)] = [:]
        for (i, t) in range.timestamps.enumerated() {
            guard case .float(let v)? = range.values[0][i] else { continue }
            let bucket = t - ((t % day) + day) % day
            let old = expected[bucket] ?? (0, 0, .infinity, -.infinity)
            expected[bucket] = (old.count + 1, old.sum + v, Swift.min(old.min, v), Swift.max(old.max, v))
        }
        var wrong = answer.count == expected.count ? 0 : 1
        for row in answer {
            guard let e = expected[row.bucketStart], case .int(let n)? = row.values[0], case .float(let mean)? = row.values[1],
                  case .float(let lo)? = row.values[2], case .float(let hi)? = row.values[3],
                  n == e.count, lo == e.min, hi == e.max, abs(mean - e.sum / Double(e.count)) <= 1e-9 * abs(e.max) + 1e-12 else {
                wrong += 1
                continue
            }
        }
        report.comparisons += 1
        if wrong > 0 { report.disagreements.append("q-year: \(wrong) of \(answer.count) daily buckets differ from the rows") }

        var latencies = Latencies()
        let iterations = max(20, options.queryIterations)
        for i in 0..<(iterations + iterations / 10) {
            let t = now()
            _ = try reader.downsample(query)
            if i >= iterations / 10 { latencies.record(now() - t) }
        }
        report.add(Figure(workload: "q-year", metric: "p50, 1 meter × \(p.days) d in 1 d buckets", unit: "ms",
                          chunkstore: latencies.p50ms, sqlite: nil, higherIsBetter: false,
                          target: options.quick ? nil : "≤ 0.1 ms", met: options.quick ? nil : latencies.p50ms <= 0.1))
        report.add(Figure(workload: "q-year", metric: "p99", unit: "ms", chunkstore: latencies.p99ms, sqlite: nil, higherIsBetter: false))
        report.extra["q-year"] = ["rows": rows, "chunks": info.chunks, "days": p.days, "iterations": iterations]
        if !options.keepFiles { removeTree(path) }
    }
}
