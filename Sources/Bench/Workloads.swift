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
}

/// Runs the selected workloads on both engines and fills the report.
final class BenchRun {
    let options: BenchOptions
    var report = Report()
    private var dataset: Dataset!
    private let dir: String
    private var rng: SplitMix64

    /// ChunkStore's options for bulk loads, paired with SQLite's WAL + synchronous=NORMAL.
    static let storeOptions = StoreOptions(sync: .none)

    init(options: BenchOptions) {
        self.options = options
        dir = options.workDirectory
        rng = SplitMix64(seed: options.generator.seed ^ 0x5EED)
    }

    var csMain: String { dir + "/cs-main" }
    var sqlMain: String { dir + "/sqlite-main.db" }
    private var mainBuilt = false

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
        let t0 = now()
        if let input = options.input {
            say("loading \(input)…")
            dataset = try Dataset.load(path: input, window: options.lpWindow)
        } else {
            say("generating data…")
            dataset = Dataset.generate(options.generator, lineProtocol: workloads.contains("lp-ingest"))
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
            case "q-last": try queryLast()
            case "open": try openWorkload()
            case "scale": try scaleCheck()
            default: break
            }
            say("  (\(String(format: "%.1f", Double(now() - start) / 1e9)) s)")
        }
        report.extra["peakRSSBytes"] = peakRSS()
    }

    private func recordParameters() {
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
    private func timed(_ label: String, warmUp: () throws -> Void, run: () throws -> Double) throws -> Double {
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
    private func ensureMainStores() throws {
        guard !mainBuilt else { return }
        say("  building query stores…")
        try loadChunkStore(dataset.batches, at: csMain)
        try loadSQLite(dataset.batches, at: sqlMain, fields: dataset.fields)
        mainBuilt = true
    }

    // MARK: Write workloads

    private func append() throws {
        let warm = dataset.prefix(fraction: 0.1)
        let cs = try timed("ChunkStore", warmUp: { try loadChunkStore(warm, at: dir + "/warm-cs") }) {
            try loadChunkStore(dataset.batches, at: csMain)
        }
        let sql = try timed("SQLite", warmUp: { try loadSQLite(warm, at: dir + "/warm.db", fields: dataset.fields) }) {
            try loadSQLite(dataset.batches, at: sqlMain, fields: dataset.fields)
        }
        removeTree(dir + "/warm-cs"); SQLiteReadings.remove(dir + "/warm.db")
        mainBuilt = true
        let pointsPerSecond = Double(dataset.points) / cs
        report.add(Figure(workload: "append", metric: "points/s", unit: "points/s", chunkstore: pointsPerSecond,
                          sqlite: Double(dataset.points) / sql, higherIsBetter: true, target: "≥10M/s, ≥5× SQLite",
                          met: pointsPerSecond >= 10e6 && cs * 5 <= sql))
        report.add(Figure(workload: "append", metric: "rows/s", unit: "rows/s", chunkstore: Double(dataset.rows) / cs,
                          sqlite: Double(dataset.rows) / sql, higherIsBetter: true))
        let csUse = directoryUsage(csMain)
        let sqlBytes = SQLiteReadings.bytes(sqlMain)
        report.add(Figure(workload: "append", metric: "bytes/point on disk (default options)", unit: "B",
                          chunkstore: Double(csUse.bytes) / Double(dataset.points), sqlite: Double(sqlBytes) / Double(dataset.points),
                          higherIsBetter: false))
        report.add(Figure(workload: "append", metric: "bytes/point, data files only", unit: "B",
                          chunkstore: Double(directoryUsage(csMain + "/data").bytes) / Double(dataset.points), sqlite: nil,
                          higherIsBetter: false, target: "≤1.5", met: Double(directoryUsage(csMain + "/data").bytes) / Double(dataset.points) <= 1.5))
        report.add(Figure(workload: "append", metric: "files in store (SQLite: 1)", unit: "files", chunkstore: Double(csUse.files), sqlite: nil,
                          higherIsBetter: false))
    }

    private func lpIngest() throws {
        let text = dataset.lineProtocol
        let megabytes = Double(text.count) / 1e6
        let window = options.lpWindow
        let warm = Array(dataset.lineProtocolPrefix(fraction: 0.1))
        // The CLI's own path: `chunkstore ingest` runs this same Ingester over its input.
        func chunkstore(_ bytes: [UInt8], _ path: String) throws -> Double {
            removeTree(path)
            let t0 = now()
            let store = try Store.open(at: path, options: BenchRun.storeOptions)
            let ingester = Ingester(store: store, format: .lp, now: { 0 })
            var rejected = 0
            _ = try bytes.withUnsafeBytes { try ingester.ingest(buffer: $0) { _ in rejected += 1; return true } }
            try store.close()
            guard rejected == 0 else { throw BenchError("lp-ingest: ChunkStore rejected \(rejected) generated lines") }
            return Double(now() - t0) / 1e9
        }
        func sqlite(_ bytes: [UInt8], _ path: String) throws -> Double {
            SQLiteReadings.remove(path)
            let t0 = now()
            let db = try SQLiteReadings(path: path, fields: dataset.fields, create: true)
            _ = try bytes.withUnsafeBytes { try db.ingestLineProtocol($0, window: window) }
            db.close()
            return Double(now() - t0) / 1e9
        }
        let csPath = dir + "/cs-lp", sqlPath = dir + "/sqlite-lp.db"
        let cs = try timed("ChunkStore", warmUp: { _ = try chunkstore(warm, csPath) }) { try chunkstore(text, csPath) }
        let sql = try timed("SQLite", warmUp: { _ = try sqlite(warm, sqlPath) }) { try sqlite(text, sqlPath) }
        // The parsed text must give the same store as the columnar append.
        try compareStores(csPath: csPath, sqlPath: sqlPath, label: "lp-ingest")
        removeTree(csPath); SQLiteReadings.remove(sqlPath)
        let lines = Double(dataset.rows)
        report.add(Figure(workload: "lp-ingest", metric: "lines/s", unit: "lines/s", chunkstore: lines / cs, sqlite: lines / sql,
                          higherIsBetter: true, target: "≥2M/s, ≥5× SQLite", met: lines / cs >= 2e6 && cs * 5 <= sql))
        report.add(Figure(workload: "lp-ingest", metric: "MB/s of text", unit: "MB/s", chunkstore: megabytes / cs,
                          sqlite: megabytes / sql, higherIsBetter: true))
    }

    /// Seal: rows are appended with sealing held back (untimed), then sealing them all is
    /// timed. SQLite's counterpart is the checkpoint that moves its WAL into the B-tree.
    private func seal() throws {
        var holdBack = BenchRun.storeOptions
        holdBack.headMemoryLimit = 1 << 46
        holdBack.chunkRowLimit = 1 << 40
        let csPath = dir + "/cs-seal", sqlPath = dir + "/sqlite-seal.db"
        func chunkstore(_ batches: [ColumnBatch]) throws -> Double {
            removeTree(csPath)
            let store = try Store.open(at: csPath, options: holdBack)
            for b in batches { try store.append(b) }
            let t0 = now()
            try store.flush()
            let t = Double(now() - t0) / 1e9
            try store.close()
            return t
        }
        func sqlite(_ batches: [ColumnBatch]) throws -> Double {
            SQLiteReadings.remove(sqlPath)
            let db = try SQLiteReadings(path: sqlPath, fields: dataset.fields, create: true, autoCheckpoint: false)
            for b in batches { try db.append(b) }
            let t0 = now()
            try db.checkpoint()
            let t = Double(now() - t0) / 1e9
            db.close()
            return t
        }
        let warm = dataset.prefix(fraction: 0.1)
        let cs = try timed("ChunkStore", warmUp: { _ = try chunkstore(warm) }) { try chunkstore(dataset.batches) }
        let sql = try timed("SQLite", warmUp: { _ = try sqlite(warm) }) { try sqlite(dataset.batches) }
        let raw = Double(dataset.rawBytes) / 1e6
        let csBytes = directoryUsage(csPath).bytes, sqlBytes = SQLiteReadings.bytes(sqlPath)
        let points = Double(dataset.points)
        report.add(Figure(workload: "seal", metric: "MB/s of raw input", unit: "MB/s", chunkstore: raw / cs, sqlite: raw / sql,
                          higherIsBetter: true, target: "≥5× SQLite", met: cs * 5 <= sql))
        let bpp = Double(csBytes) / points
        report.add(Figure(workload: "seal", metric: "bytes/point on disk", unit: "B", chunkstore: bpp, sqlite: Double(sqlBytes) / points,
                          higherIsBetter: false, target: "≤1.5", met: bpp <= 1.5))
        report.add(Figure(workload: "seal", metric: "compression vs 16 B/point", unit: "×", chunkstore: 16 / bpp,
                          sqlite: 16 * points / Double(sqlBytes), higherIsBetter: true))
        removeTree(csPath); SQLiteReadings.remove(sqlPath)
    }

    // MARK: Queries

    private func hour(_ t: Int64) -> Int64 { t - ((t % SQLiteReadings.hourNanos) + SQLiteReadings.hourNanos) % SQLiteReadings.hourNanos }

    /// The device a query asks about: a seeded random one for generated data, the first for a user's file.
    private func pickDevice() -> String {
        options.input == nil ? dataset.devices[rng.below(dataset.devices.count)] : dataset.devices[0]
    }

    /// Times `iterations` calls on each engine (after a few untimed ones), comparing every answer.
    private func timeQuery<A>(_ name: String, iterations: Int, arguments: () -> [Any],
                              chunkstore: ([Any]) throws -> A, sqlite: ([Any]) throws -> A,
                              compare: (A, A) -> String?) throws -> (Latencies, Latencies) {
        var cs = Latencies(), sql = Latencies()
        let warm = max(2, iterations / 10)
        for i in 0..<(warm + iterations) {
            let args = arguments()
            let t0 = now()
            let a = try chunkstore(args)
            let t1 = now()
            let b = try sqlite(args)
            let t2 = now()
            if i >= warm { cs.record(t1 - t0); sql.record(t2 - t1) }
            report.comparisons += 1
            if let difference = compare(a, b) {
                report.disagreements.append("\(name) \(args): \(difference)")
                if report.disagreements.count < 20 { say("  DISAGREEMENT \(name) \(args): \(difference)") }
            }
        }
        return (cs, sql)
    }

    private func addLatency(_ workload: String, _ cs: Latencies, _ sql: Latencies, target: String?, met: Bool?) {
        report.add(Figure(workload: workload, metric: "p50", unit: "ms", chunkstore: cs.p50ms, sqlite: sql.p50ms,
                          higherIsBetter: false, target: target, met: met))
        report.add(Figure(workload: workload, metric: "p99", unit: "ms", chunkstore: cs.p99ms, sqlite: sql.p99ms, higherIsBetter: false))
    }

    private func rangeAnswer(_ r: RangeResult) -> RangeAnswer {
        RangeAnswer(timestamps: r.timestamps, values: r.values)
    }

    private func queryRange() throws {
        try ensureMainStores()
        let store = try Store.openReader(at: csMain)
        let db = try SQLiteReadings(path: sqlMain, fields: dataset.fields, create: false)
        defer { try? store.close(); db.close() }
        let names = dataset.fields.map(\.name)
        let firstHour = hour(dataset.minTimestamp), hours = Int((dataset.maxTimestamp - firstHour) / SQLiteReadings.hourNanos) + 1
        let (cs, sql) = try timeQuery("q-range", iterations: options.queryIterations, arguments: {
            let from = firstHour + Int64(rng.below(hours)) * SQLiteReadings.hourNanos
            return [pickDevice(), from, from + SQLiteReadings.hourNanos]
        }, chunkstore: { a in
            try rangeAnswer(store.range(device: a[0] as! String, from: a[1] as? Int64, to: a[2] as? Int64, fields: names))
        }, sqlite: { a in
            try db.range(device: a[0] as! String, from: a[1] as! Int64, to: a[2] as! Int64)
        }, compare: { AnswerComparison.compare($0, $1, fields: names) })
        addLatency("q-range", cs, sql, target: "faster than SQLite", met: cs.p50ms < sql.p50ms)
    }

    private func downsampleAnswer(_ rows: [DownsampleRow]) -> DownsampleAnswer {
        DownsampleAnswer(rows: rows.map { .init(device: $0.device, bucket: $0.bucketStart, values: $0.values) })
    }

    private func queryDownsample() throws {
        try ensureMainStores()
        let store = try Store.openReader(at: csMain)
        let db = try SQLiteReadings(path: sqlMain, fields: dataset.fields, create: false)
        defer { try? store.close(); db.close() }
        let field = dataset.queryField
        let from = dataset.minTimestamp, to = dataset.maxTimestamp + 1
        let iterations = max(5, options.queryIterations / 4)
        let (cs, sql) = try timeQuery("q-downsample", iterations: iterations, arguments: { [pickDevice()] },
            chunkstore: { a in
                try downsampleAnswer(store.downsample(DownsampleQuery(device: a[0] as? String, from: from, to: to, fields: [field],
                                                                      bucket: .nanoseconds(SQLiteReadings.hourNanos),
                                                                      functions: [.mean, .min, .max])))
            }, sqlite: { a in
                try db.downsample(device: a[0] as! String, field: field, from: from, to: to)
            }, compare: { AnswerComparison.compare($0, $1, meanColumns: [0]) })
        let days = Double(to - from) / 86_400e9
        let sevenDays = options.input == nil && options.generator.days == 7
        addLatency("q-downsample", cs, sql, target: sevenDays ? "<1 ms, ≥10× SQLite" : "≥10× SQLite",
                   met: (!sevenDays || cs.p50ms < 1) && cs.p50ms * 10 <= sql.p50ms)
        report.extra["q-downsample"] = ["field": field, "spanDays": days, "iterations": iterations]
    }

    private func queryFleet() throws {
        try ensureMainStores()
        let store = try Store.openReader(at: csMain)
        let db = try SQLiteReadings(path: sqlMain, fields: dataset.fields, create: false)
        defer { try? store.close(); db.close() }
        let field = dataset.queryField
        let day: Int64 = 86_400_000_000_000
        let firstDay = dataset.minTimestamp - ((dataset.minTimestamp % day) + day) % day
        let dayCount = Int((dataset.maxTimestamp - firstDay) / day) + 1
        let iterations = max(5, options.queryIterations / 10)
        let (cs, sql) = try timeQuery("q-fleet", iterations: iterations, arguments: {
            // Generated data: a seeded random day; a user's file: the day in the middle of its span.
            let d = options.input == nil ? rng.below(dayCount) : dayCount / 2
            return [firstDay + Int64(d) * day]
        }, chunkstore: { a in
            let from = a[0] as! Int64
            return try downsampleAnswer(store.downsample(DownsampleQuery(device: nil, from: from, to: from + day, fields: [field],
                                                                         bucket: .nanoseconds(SQLiteReadings.hourNanos), functions: [.mean])))
        }, sqlite: { a in
            let from = a[0] as! Int64
            return try db.fleet(field: field, from: from, to: from + day)
        }, compare: { AnswerComparison.compare($0, $1, meanColumns: [0]) })
        addLatency("q-fleet", cs, sql, target: "≥10× SQLite", met: cs.p50ms * 10 <= sql.p50ms)
        report.extra["q-fleet"] = ["field": field, "devices": dataset.devices.count, "iterations": iterations]
    }

    private func lastAnswer(_ rows: [LatestRow], fields: [String]) -> LastAnswer {
        LastAnswer(rows: rows.map { r in .init(device: r.device, timestamp: r.timestamp, values: fields.map { r.fields[$0] }) })
    }

    /// q-last runs on its own store of `fleetDevices` meters (an hour of 30-second
    /// readings each) for generated data, or on the user's data.
    private func queryLast() throws {
        var csPath = csMain, sqlPath = sqlMain
        var devices = dataset.devices.count
        if options.input == nil {
            var p = options.generator
            p.devices = options.fleetDevices
            p.intervalSeconds = 30
            p.days = 1
            p.batchSeconds = 3600
            var fleet = MeterFleet(p)
            let batches = fleet.nextPeriod() ?? []
            csPath = dir + "/cs-fleet"; sqlPath = dir + "/sqlite-fleet.db"
            let csLoad = try loadChunkStore(batches, at: csPath)
            let sqlLoad = try loadSQLite(batches, at: sqlPath, fields: MeterFields.all)
            let rows = batches.reduce(0) { $0 + $1.timestamps.count }
            devices = batches.count
            say("  fleet store: \(devices) devices, \(rows) rows; loaded in \(String(format: "%.2f", csLoad)) s (ChunkStore), "
                  + "\(String(format: "%.2f", sqlLoad)) s (SQLite)")
            report.extra["q-last"] = ["devices": devices, "rows": rows, "chunkstoreLoadSeconds": csLoad, "sqliteLoadSeconds": sqlLoad,
                                      "chunkstoreFiles": directoryUsage(csPath).files]
        } else {
            try ensureMainStores()
        }
        let fields = options.input == nil ? MeterFields.all : dataset.fields
        let store = try Store.openReader(at: csPath)
        let db = try SQLiteReadings(path: sqlPath, fields: fields, create: false)
        defer { try? store.close(); db.close() }
        let names = fields.map(\.name)
        let (cs, sql) = try timeQuery("q-last", iterations: max(5, options.queryIterations / 4), arguments: { [] },
            chunkstore: { _ in try lastAnswer(store.latest(), fields: names) },
            sqlite: { _ in try db.last() }, compare: { AnswerComparison.compare($0, $1, fields: names) })
        let big = devices >= 10_000
        addLatency("q-last", cs, sql, target: big ? "<10 ms at 10k devices, ≥10× SQLite" : "≥10× SQLite",
                   met: (!big || cs.p50ms < 10) && cs.p50ms * 10 <= sql.p50ms)
        if options.input == nil { removeTree(csPath); SQLiteReadings.remove(sqlPath) }
    }

    /// Open to first answer, on a one-day store and on the full store: the time must not grow with size.
    private func openWorkload() throws {
        try ensureMainStores()
        let day: Int64 = 86_400_000_000_000
        let firstDayEnd = dataset.minTimestamp + day
        let small = dataset.batches.filter { ($0.timestamps.first ?? 0) < firstDayEnd }
        let csSmall = dir + "/cs-small", sqlSmall = dir + "/sqlite-small.db"
        try loadChunkStore(small, at: csSmall)
        try loadSQLite(small, at: sqlSmall, fields: dataset.fields)
        let device = dataset.devices[0], from = hour(dataset.minTimestamp), to = from + SQLiteReadings.hourNanos
        let names = dataset.fields.map(\.name)
        var results: [(String, Latencies, Latencies)] = []
        for (label, cp, sp) in [("small", csSmall, sqlSmall), ("large", csMain, sqlMain)] {
            let (cs, sql) = try timeQuery("open-\(label)", iterations: max(10, options.queryIterations / 4), arguments: { [] },
                chunkstore: { _ in
                    let store = try Store.openReader(at: cp)
                    defer { try? store.close() }
                    return try rangeAnswer(store.range(device: device, from: from, to: to, fields: names))
                }, sqlite: { _ in
                    let db = try SQLiteReadings(path: sp, fields: dataset.fields, create: false)
                    defer { db.close() }
                    return try db.range(device: device, from: from, to: to)
                }, compare: { AnswerComparison.compare($0, $1, fields: names) })
            results.append((label, cs, sql))
        }
        let smallRows = small.reduce(0) { $0 + $1.timestamps.count }
        let growth = results[1].1.p50ms / results[0].1.p50ms
        report.add(Figure(workload: "open", metric: "p50, \(smallRows / 1000)k-row store", unit: "ms", chunkstore: results[0].1.p50ms,
                          sqlite: results[0].2.p50ms, higherIsBetter: false))
        report.add(Figure(workload: "open", metric: "p50, \(dataset.rows / 1000)k-row store", unit: "ms", chunkstore: results[1].1.p50ms,
                          sqlite: results[1].2.p50ms, higherIsBetter: false))
        report.add(Figure(workload: "open", metric: "large ÷ small p50", unit: "×", chunkstore: growth,
                          sqlite: results[1].2.p50ms / results[0].2.p50ms, higherIsBetter: false,
                          target: "flat (≤1.5×)", met: growth <= 1.5))
        removeTree(csSmall); SQLiteReadings.remove(sqlSmall)
    }

    // MARK: Scale check

    /// 10,000 meters × 2 days of 5-second readings through the columnar append API with
    /// default store options (64 MiB head bound), generated device by device so the
    /// generator holds one batch at a time.
    private func scaleCheck() throws {
        var p = options.generator
        if options.input == nil {
            p.devices = options.quick ? 1_000 : 10_000
            p.days = options.quick ? 1 : 2
        }
        let path = dir + "/cs-scale"
        removeTree(path)
        var meters = (0..<p.devices).map { MeterDevice(index: $0, parameters: p) }
        say("[scale] \(p.devices) devices × \(p.days) days every \(p.intervalSeconds) s, default StoreOptions")
        let store = try Store.open(at: path, options: StoreOptions())
        var rows = 0, points = 0
        var appendNanos: UInt64 = 0
        let width = Int64(p.batchSeconds) * 1_000_000_000
        let t0 = now()
        for period in 0..<p.batchCount {
            let from = period == 0 ? Int64.min : p.startNanos + Int64(period) * width
            let to = p.startNanos + Int64(period + 1) * width
            for i in meters.indices {
                let batch = meters[i].batch(from: from, to: to, parameters: p, final: period == p.batchCount - 1)
                rows += batch.timestamps.count
                points += batch.timestamps.count * batch.columns.count
                let a = now()
                try store.append(batch)
                appendNanos += now() - a
            }
            if period % 6 == 5 {
                say("  \(period + 1)/\(p.batchCount) hours, \(rows) rows, peak RSS \(peakRSS() >> 20) MiB, "
                      + "\(Report.format(Double(rows) / (Double(appendNanos) / 1e9))) rows/s in append")
            }
        }
        let c0 = now()
        try store.close()
        let closeSeconds = Double(now() - c0) / 1e9
        let wall = Double(now() - t0) / 1e9
        let use = directoryUsage(path)
        let appendSeconds = Double(appendNanos) / 1e9 + closeSeconds
        let rss = peakRSS()
        report.add(Figure(workload: "scale", metric: "rows/s (append + close)", unit: "rows/s", chunkstore: Double(rows) / appendSeconds,
                          sqlite: nil, higherIsBetter: true))
        report.add(Figure(workload: "scale", metric: "points/s (append + close)", unit: "points/s", chunkstore: Double(points) / appendSeconds,
                          sqlite: nil, higherIsBetter: true))
        report.add(Figure(workload: "scale", metric: "bytes/point on disk", unit: "B", chunkstore: Double(use.bytes) / Double(points),
                          sqlite: nil, higherIsBetter: false, target: "≤1.5", met: Double(use.bytes) / Double(points) <= 1.5))
        report.add(Figure(workload: "scale", metric: "files in store", unit: "files", chunkstore: Double(use.files), sqlite: nil, higherIsBetter: false))
        report.add(Figure(workload: "scale", metric: "peak RSS", unit: "MiB", chunkstore: Double(rss) / 1_048_576, sqlite: nil, higherIsBetter: false))
        report.extra["scale"] = ["devices": p.devices, "days": p.days, "rows": rows, "points": points, "bytes": use.bytes, "files": use.files,
                                 "appendSeconds": appendSeconds, "closeSeconds": closeSeconds, "wallSeconds": wall, "peakRSSBytes": rss]
        removeTree(path)
    }

    // MARK: Store equality

    /// Compares every device's full range between a ChunkStore and a SQLite store.
    private func compareStores(csPath: String, sqlPath: String, label: String) throws {
        let store = try Store.openReader(at: csPath)
        let db = try SQLiteReadings(path: sqlPath, fields: dataset.fields, create: false)
        defer { try? store.close(); db.close() }
        let names = dataset.fields.map(\.name)
        for device in dataset.devices {
            let a = try rangeAnswer(store.range(device: device, fields: names))
            let b = try db.range(device: device, from: .min, to: .max)
            report.comparisons += 1
            if let d = AnswerComparison.compare(a, b, fields: names) {
                report.disagreements.append("\(label) \(device): \(d)")
                say("  DISAGREEMENT \(label) \(device): \(d)")
            }
        }
    }
}
