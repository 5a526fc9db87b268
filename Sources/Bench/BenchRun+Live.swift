import ChunkStore
import Foundation

/// The live-store workloads (issue 10): queries on a store fragmented by many small ingests
/// with late rows, before and after compaction, the compaction itself, and how soon a
/// reader sees a steady feed. They make their own data, like the fleet workloads.
extension BenchRun {
    /// 50 meters × one day of 5-second readings in 1,000 small flushed ingests (about 17
    /// rows per meter each), 2% of rows arriving late, as a gateway that uploads every
    /// minute and a half would leave them with automatic compaction off.
    func liveCompaction() throws {
        let devices = options.quick ? 10 : 50
        let ingests = options.quick ? 100 : 1_000
        let rowsPerDevice = 17_280
        let path = dir + "/cs-fragmented"
        removeTree(path)
        let start: Int64 = 1_767_225_600 * 1_000_000_000
        let step: Int64 = 5_000_000_000
        var options = BenchRun.storeOptions
        options.compactionTrigger = 0
        var rng = SplitMix64(seed: 10)
        let store = try Store.open(at: path, options: options)
        let t0 = now()
        let perIngest = rowsPerDevice / ingests + 1
        for k in 0..<ingests {
            for d in 0..<devices {
                let first = k * perIngest
                guard first < rowsPerDevice else { break }
                var ts = (first..<min(rowsPerDevice, first + perIngest)).map { start + Int64($0) * step }
                for i in ts.indices where rng.next() % 50 == 0 {
                    ts[i] = start + Int64(rng.next() % UInt64(max(1, first))) * step
                }
                let values = ts.map { Double(($0 / step) % 4000) / 2 }
                try store.append(ColumnBatch(device: "meter-\(d)", timestamps: ts, columns: [.init(name: "power_w", values: .float(values))]))
            }
            try store.flush()
        }
        let loadSeconds = Double(now() - t0) / 1e9
        let fragmented = try store.info()
        say("  \(ingests) ingests of \(devices) meters in \(String(format: "%.1f", loadSeconds)) s: \(fragmented.chunks) chunks, \(fragmented.dataBytes) data bytes")

        func queries(_ label: String) throws -> (range: Double, downsample: Double) {
            var range = Latencies(), downsample = Latencies()
            let iterations = self.options.quick ? 20 : 100
            for i in 0..<iterations {
                let device = "meter-\(i % devices)"
                var t = now()
                _ = try store.range(device: device, from: start, to: start + 86_400_000_000_000)
                range.record(now() - t)
                t = now()
                _ = try store.downsample(DownsampleQuery(device: device, from: start, to: start + 86_400_000_000_000,
                                                        fields: ["power_w"], bucket: .nanoseconds(3_600_000_000_000),
                                                        functions: [.mean, .min, .max]))
                downsample.record(now() - t)
            }
            say("    \(label): q-range p50 \(String(format: "%.3f", range.p50ms)) ms, q-downsample p50 \(String(format: "%.3f", downsample.p50ms)) ms")
            return (range.p50ms, downsample.p50ms)
        }
        let before = try queries("fragmented")
        let t1 = now()
        let compaction = try store.compact()
        let compactSeconds = Double(now() - t1) / 1e9
        let after = try queries("compacted")
        let compacted = try store.info()
        try store.close()
        removeTree(path)
        say("  compaction: \(compaction.deviceDaysCompacted) device-days, \(compaction.chunksBefore) -> \(compaction.chunksAfter) chunks, \(compaction.bytesBefore) -> \(compaction.bytesAfter) bytes in \(String(format: "%.3f", compactSeconds)) s")
        let rows = Double(compacted.rows)
        do {
            self.report.add(Figure(workload: "live-compaction", metric: "q-range one meter-day, compacted", unit: "ms",
                                   chunkstore: after.range, sqlite: nil, higherIsBetter: false))
            self.report.add(Figure(workload: "live-compaction", metric: "q-range fragmented", unit: "ms", chunkstore: before.range,
                                   sqlite: nil, higherIsBetter: false))
            self.report.add(Figure(workload: "live-compaction", metric: "q-downsample 1h, compacted", unit: "ms", chunkstore: after.downsample,
                                   sqlite: nil, higherIsBetter: false))
            self.report.add(Figure(workload: "live-compaction", metric: "q-downsample 1h, fragmented", unit: "ms", chunkstore: before.downsample,
                                   sqlite: nil, higherIsBetter: false))
            self.report.add(Figure(workload: "live-compaction", metric: "compaction rows/s", unit: "rows/s", chunkstore: rows / compactSeconds,
                                   sqlite: nil, higherIsBetter: true))
            self.report.add(Figure(workload: "live-compaction", metric: "compaction MB/s read", unit: "MB/s",
                                   chunkstore: Double(compaction.bytesBefore) / 1e6 / compactSeconds, sqlite: nil, higherIsBetter: true))
            self.report.add(Figure(workload: "live-compaction", metric: "data bytes after ÷ before", unit: "×",
                                   chunkstore: Double(compacted.dataBytes) / Double(fragmented.dataBytes), sqlite: nil, higherIsBetter: false))
        }
        self.report.extra["liveCompaction"] = ["devices": devices, "ingests": ingests, "chunksBefore": fragmented.chunks,
                                               "chunksAfter": compacted.chunks, "dataBytesBefore": fragmented.dataBytes,
                                               "dataBytesAfter": compacted.dataBytes, "compactSeconds": compactSeconds]
    }

    /// A writer appends one reading every 10 ms; after each append returns, a reader (the
    /// same code as a reader in another process) queries until it sees that reading.
    func liveFreshness() throws {
        let path = dir + "/cs-live"
        removeTree(path)
        let appends = options.quick ? 100 : 500
        let writer = try Store.open(at: path, options: StoreOptions())
        try writer.append([Row(device: "live", timestamp: 1, fields: ["p": .float(0)])])
        let reader = try Store.openReader(at: path)
        var lag = Latencies()
        var polls = 0
        for i in 0..<appends {
            let ts = Int64(i + 2) * 1_000_000_000
            try writer.append([Row(device: "live", timestamp: ts, fields: ["p": .float(Double(i))])])
            let acknowledged = now()
            while try reader.latest(device: "live").first?.timestamp != ts { polls += 1 }
            lag.record(now() - acknowledged)
            usleep(10_000)
        }
        try writer.close()
        removeTree(path)
        say("  reader lag after the append returned: p50 \(String(format: "%.3f", lag.p50ms)) ms, p99 \(String(format: "%.3f", lag.p99ms)) ms (\(polls) extra polls)")
        report.add(Figure(workload: "live-freshness", metric: "reader lag p50", unit: "ms", chunkstore: lag.p50ms, sqlite: nil,
                          higherIsBetter: false, target: "< 1000 ms", met: lag.p99ms < 1000))
        report.add(Figure(workload: "live-freshness", metric: "reader lag p99", unit: "ms", chunkstore: lag.p99ms, sqlite: nil,
                          higherIsBetter: false))
    }

    /// Queries on several threads at once against one writer's `Store`, and appends while
    /// they run: queries work on a snapshot outside the store's lock.
    func liveConcurrency() throws {
        let devices = options.quick ? 10 : 50
        let path = dir + "/cs-concurrent"
        removeTree(path)
        let start: Int64 = 1_767_225_600 * 1_000_000_000
        let step: Int64 = 5_000_000_000
        let loader = try Store.open(at: path, options: BenchRun.storeOptions)
        for d in 0..<devices {
            let ts = (0..<17_280).map { start + Int64($0) * step }
            try loader.append(ColumnBatch(device: "meter-\(d)", timestamps: ts,
                                          columns: [.init(name: "power_w", values: .float(ts.map { Double(($0 / step) % 4000) / 2 }))]))
        }
        try loader.close()
        let store = try Store.open(at: path, options: StoreOptions())
        let seconds = options.quick ? 0.3 : 2.0
        let query = { @Sendable (i: Int) throws -> Void in
            _ = try store.downsample(DownsampleQuery(device: "meter-\(i % devices)", from: start, to: start + 86_400_000_000_000,
                                                    fields: ["power_w"], bucket: .nanoseconds(3_600_000_000_000), functions: [.mean, .max]))
        }
        /// Queries per second with `callers` threads querying for `seconds`.
        func throughput(callers: Int, whileAppending: Bool) throws -> (qps: Double, append: Latencies) {
            let stop = Locked(false)
            let counts = Locked([Int](repeating: 0, count: callers))
            let errors = Locked<[String]>([])
            let group = DispatchGroup()
            for c in 0..<callers {
                DispatchQueue.global().async(group: group) {
                    var n = 0
                    while !stop.value {
                        do { try query(c + n) } catch { errors.update { $0.append("\(error)") }; break }
                        n += 1
                    }
                    counts.update { $0[c] = n }
                }
            }
            var append = Latencies()
            let t0 = now()
            var k = 0
            while Double(now() - t0) / 1e9 < seconds {
                if whileAppending {
                    let ts = start + 86_400_000_000_000 + Int64(k) * 1_000_000
                    let t = now()
                    try store.append(ColumnBatch(device: "meter-\(k % devices)", timestamps: [ts], columns: [.init(name: "power_w", values: .float([1]))]))
                    append.record(now() - t)
                    k += 1
                    usleep(500)
                } else {
                    usleep(10_000)
                }
            }
            stop.update { $0 = true }
            group.wait()
            if let error = errors.value.first { throw BenchError("live-concurrency: \(error)") }
            return (Double(counts.value.reduce(0, +)) / seconds, append)
        }
        let alone = try throughput(callers: 0, whileAppending: true).append
        var rates: [Int: Double] = [:]
        for callers in [1, 2, 4] {
            rates[callers] = try throughput(callers: callers, whileAppending: false).qps
            say("  \(callers) caller(s): \(Int(rates[callers]!)) q-downsample/s")
        }
        let loaded = try throughput(callers: 2, whileAppending: true)
        // Appends that fill device-days, so seals (and their fsyncs) fall due while appending:
        // batches of 256 five-second rows, rotating over the devices, from day 2 on.
        var sealing = Latencies()
        let batches = options.quick ? 400 : 4_000
        var next = [Int64](repeating: start + 2 * 86_400_000_000_000, count: devices)
        for b in 0..<batches {
            let d = b % devices
            let ts = (0..<256).map { next[d] + Int64($0) * step }
            next[d] += 256 * step
            let batch = ColumnBatch(device: "meter-\(d)", timestamps: ts, columns: [.init(name: "power_w", values: .float(ts.map { Double($0 % 4000) }))])
            let t = now()
            try store.append(batch)
            sealing.record(now() - t)
        }
        try store.close()
        removeTree(path)
        say("  append p50/p99 alone \(String(format: "%.3f/%.3f", alone.p50ms, alone.p99ms)) ms, with 2 query threads \(String(format: "%.3f/%.3f", loaded.append.p50ms, loaded.append.p99ms)) ms")
        for callers in [1, 2, 4] {
            report.add(Figure(workload: "live-concurrency", metric: "q-downsample/s, \(callers) caller(s)", unit: "q/s",
                              chunkstore: rates[callers]!, sqlite: nil, higherIsBetter: true))
        }
        report.add(Figure(workload: "live-concurrency", metric: "append p99, no queries", unit: "ms", chunkstore: alone.p99ms, sqlite: nil,
                          higherIsBetter: false))
        report.add(Figure(workload: "live-concurrency", metric: "append p99, 2 query threads", unit: "ms", chunkstore: loaded.append.p99ms,
                          sqlite: nil, higherIsBetter: false))
        say("  append of 256 rows while seals fall due: p50/p99/p99.9/max \(String(format: "%.3f/%.3f/%.3f/%.3f", sealing.p50ms, sealing.p99ms, sealing.p999ms, sealing.maxms)) ms")
        report.add(Figure(workload: "live-concurrency", metric: "append p99.9, 256 rows, seals due", unit: "ms", chunkstore: sealing.p999ms,
                          sqlite: nil, higherIsBetter: false))
        report.add(Figure(workload: "live-concurrency", metric: "append max, 256 rows, seals due", unit: "ms", chunkstore: sealing.maxms,
                          sqlite: nil, higherIsBetter: false))
    }
}

/// A value shared between the benchmark's threads.
final class Locked<Value>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()
    init(_ value: Value) { stored = value }
    var value: Value { lock.lock(); defer { lock.unlock() }; return stored }
    func update(_ body: (inout Value) -> Void) { lock.lock(); defer { lock.unlock() }; body(&stored) }
}
