import ChunkStore
import Foundation
import Histogram

/// Monotonic nanoseconds.
@inline(__always) func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Bytes and files under a directory tree.
func directoryUsage(_ path: String) -> (bytes: Int, files: Int) {
    guard let e = FileManager.default.enumerator(atPath: path) else { return (0, 0) }
    var bytes = 0, files = 0
    while let name = e.nextObject() as? String {
        var st = stat()
        if stat(path + "/" + name, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG {
            bytes += Int(st.st_size)
            files += 1
        }
    }
    return (bytes, files)
}

func removeTree(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

/// Latencies of one query on one engine.
struct Latencies {
    var histogram = Histogram<UInt64>(highestTrackableValue: 600_000_000_000, numberOfSignificantValueDigits: .three)
    mutating func record(_ nanos: UInt64) { _ = histogram.record(max(1, nanos)) }
    var p50ms: Double { Double(histogram.valueAtPercentile(50)) / 1e6 }
    var p99ms: Double { Double(histogram.valueAtPercentile(99)) / 1e6 }
    var p999ms: Double { Double(histogram.valueAtPercentile(99.9)) / 1e6 }
    var maxms: Double { Double(histogram.max) / 1e6 }
}

/// Runs the selected workloads on both engines and fills the report.
final class BenchRun {
    let options: BenchOptions
    var report = Report()
    var dataset: Dataset!
    let dir: String
    var rng: SplitMix64

    /// ChunkStore's options for bulk loads, paired with SQLite's WAL + synchronous=NORMAL.
    static let storeOptions = StoreOptions(sync: .none)

    init(options: BenchOptions) {
        self.options = options
        dir = options.workDirectory
        rng = SplitMix64(seed: options.generator.seed ^ 0x5EED)
    }

    var csMain: String { dir + "/cs-main" }
    var sqlMain: String { dir + "/sqlite-main.db" }
    var mainBuilt = false

    func run() throws {
        removeTree(dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if !options.keepFiles { removeTree(dir) } }
        #if DEBUG
        let warning = "WARNING: Bench was built in debug; its figures mean nothing. Use `swift run -c release Bench`."
        say(warning)
        report.notes.append(warning)
        #endif
        recordParameters()
        let workloads = options.workloads
        if workloads == ["scale"] {
            try scaleCheck()
            return
        }
        // The fleet workloads make their own data.
        let ownData = BenchOptions.fleetWorkloads + BenchOptions.liveWorkloads
        if !workloads.isEmpty, workloads.allSatisfy(ownData.contains) {
            for w in workloads {
                say("[\(w)]")
                switch w {
                case "fleet-rules": try fleetRulesOverhead()
                case "fleet-summary": try fleetSummary()
                case "live-compaction": try liveCompaction()
                case "live-concurrency": try liveConcurrency()
                default: try liveFreshness()
                }
            }
            return
        }
        let t0 = now()
        if let input = options.input {
            say("loading \(input)…")
            dataset = try Dataset.load(path: input, window: options.lpWindow)
        } else {
            say("generating data…")
            dataset = Dataset.generate(options.generator, lineProtocol: workloads.contains("lp-ingest") || options.lineProtocolOut != nil)
        }
        if let out = options.lineProtocolOut {
            try Data(dataset.lineProtocol).write(to: URL(fileURLWithPath: out))
            say("wrote \(dataset.lineProtocol.count) bytes of line protocol to \(out)")
            return
        }
        say("data: \(dataset.source): \(dataset.devices.count) devices, \(dataset.rows) rows, \(dataset.points) points, "
              + "\(dataset.lineProtocol.count / 1_000_000) MB of line protocol (\(String(format: "%.1f", Double(now() - t0) / 1e9)) s)")
        report.extra["dataset"] = ["source": dataset.source, "devices": dataset.devices.count, "rows": dataset.rows,
                                   "points": dataset.points, "lineProtocolBytes": dataset.lineProtocol.count,
                                   "fields": dataset.fields.map { "\($0.name):\($0.type)" },
                                   "firstTimestamp": dataset.minTimestamp, "lastTimestamp": dataset.maxTimestamp]
        for w in workloads {
            let start = now()
            say("[\(w)]")
            switch w {
            case "append": try append()
            case "lp-ingest": try lpIngest()
            case "seal": try seal()
            case "q-range": try queryRange()
            case "q-downsample": try queryDownsample()
            case "q-fleet": try queryFleet()
            case "q-year": try queryYear()
            case "q-last": try queryLast()
            case "open": try openWorkload()
            case "export": try exportWorkload()
            case "scale": try scaleCheck()
            case "fleet-rules": try fleetRulesOverhead()
            case "fleet-summary": try fleetSummary()
            case "live-compaction": try liveCompaction()
            case "live-freshness": try liveFreshness()
            case "live-concurrency": try liveConcurrency()
            default: break
            }
            say("  (\(String(format: "%.1f", Double(now() - start) / 1e9)) s)")
        }
        report.extra["peakRSSBytes"] = peakRSS()
    }

    func recordParameters() {
        let g = options.generator
        report.parameters = [
            "workloads": options.workloads, "quick": options.quick, "input": options.input ?? NSNull(),
            "devices": g.devices, "days": g.days, "intervalSeconds": g.intervalSeconds, "seed": g.seed,
            "lateFraction": g.lateFraction, "missingFraction": g.missingFraction, "batchSeconds": g.batchSeconds,
            "runs": options.runs, "queryIterations": options.queryIterations, "fleetDevices": options.fleetDevices,
            "lpWindow": options.lpWindow,
            "chunkstoreOptions": "sync none, headMemoryLimit 64 MiB, chunkRowLimit 8192, duplicate policy last",
            "sqliteOptions": "journal_mode=WAL, synchronous=NORMAL, WITHOUT ROWID table keyed (device, ts), upsert, one transaction per batch",
        ]
    }

    // MARK: Loading helpers

    /// Loads batches into a fresh ChunkStore; returns seconds including the closing flush.
    @discardableResult
    func loadChunkStore(_ batches: [ColumnBatch], at path: String, options: StoreOptions = BenchRun.storeOptions) throws -> Double {
        removeTree(path)
        let t0 = now()
        let store = try Store.open(at: path, options: options)
        for b in batches { try store.append(b) }
        try store.close()
        return Double(now() - t0) / 1e9
    }

    /// Loads batches into a fresh SQLite database; returns seconds including close.
    @discardableResult
    func loadSQLite(_ batches: [ColumnBatch], at path: String, fields: [(name: String, type: FieldType)]) throws -> Double {
        SQLiteReadings.remove(path)
        let t0 = now()
        let db = try SQLiteReadings(path: path, fields: fields, create: true)
        for b in batches { try db.append(b) }
        db.close()
        return Double(now() - t0) / 1e9
    }

    /// Warm-up on a slice, then `runs` timed runs; the median seconds.
    func timed(_ label: String, warmUp: () throws -> Void, run: () throws -> Double) throws -> Double {
        try warmUp()
        var times: [Double] = []
        for i in 0..<options.runs {
            let t = try run()
            times.append(t)
            say("    \(label) run \(i + 1): \(String(format: "%.3f", t)) s")
        }
        return median(times)
    }

    /// Builds the stores the queries read, unless `append` already left them.
    func ensureMainStores() throws {
        guard !mainBuilt else { return }
        say("  building query stores…")
        try loadChunkStore(dataset.batches, at: csMain)
        try loadSQLite(dataset.batches, at: sqlMain, fields: dataset.fields)
        mainBuilt = true
    }
}
