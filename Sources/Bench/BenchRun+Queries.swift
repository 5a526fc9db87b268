import ChunkStore
import Foundation

/// The query workloads and open.
extension BenchRun {
    // MARK: Queries

    func hour(_ t: Int64) -> Int64 { t - ((t % SQLiteReadings.hourNanos) + SQLiteReadings.hourNanos) % SQLiteReadings.hourNanos }

    /// The device a query asks about: a seeded random one for generated data, the first for a user's file.
    func pickDevice() -> String {
        options.input == nil ? dataset.devices[rng.below(dataset.devices.count)] : dataset.devices[0]
    }

    /// Times `iterations` calls on each engine (after a few untimed ones), comparing every
    /// answer; `prepare` runs untimed before each ChunkStore call.
    func timeQuery<A>(_ name: String, iterations: Int, arguments: () -> [Any], prepare: () throws -> Void = {},
                              chunkstore: ([Any]) throws -> A, sqlite: ([Any]) throws -> A,
                              compare: (A, A) -> String?) throws -> (Latencies, Latencies) {
        var cs = Latencies(), sql = Latencies()
        let warm = max(2, iterations / 10)
        for i in 0..<(warm + iterations) {
            let args = arguments()
            try prepare()
            let t0 = now()
            let a = try chunkstore(args)
            let t1 = now()
            if i >= warm { cs.record(t1 - t0) }
            guard i % options.sqliteEvery == 0 else { continue }
            let b = try sqlite(args)
            let t2 = now()
            if i >= warm { sql.record(t2 - t1) }
            report.comparisons += 1
            if let difference = compare(a, b) {
                report.disagreements.append("\(name) \(args): \(difference)")
                if report.disagreements.count < 20 { say("  DISAGREEMENT \(name) \(args): \(difference)") }
            }
        }
        return (cs, sql)
    }

    func addLatency(_ workload: String, _ cs: Latencies, _ sql: Latencies, target: String?, met: Bool?) {
        report.add(Figure(workload: workload, metric: "p50", unit: "ms", chunkstore: cs.p50ms, sqlite: sql.p50ms,
                          higherIsBetter: false, target: target, met: met))
        report.add(Figure(workload: workload, metric: "p99", unit: "ms", chunkstore: cs.p99ms, sqlite: sql.p99ms, higherIsBetter: false))
    }

    func rangeAnswer(_ r: RangeResult) -> RangeAnswer {
        RangeAnswer(timestamps: r.timestamps, values: r.values)
    }

    func queryRange() throws {
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

    func downsampleAnswer(_ rows: [DownsampleRow]) -> DownsampleAnswer {
        DownsampleAnswer(rows: rows.map { .init(device: $0.device, bucket: $0.bucketStart, values: $0.values) })
    }

    /// With `--first-queries`, closes `store` and opens a fresh reader in its place, whose
    /// chunk summaries and decoded rows are not cached yet.
    func reopenForFirstQuery(_ store: inout Store) throws {
        guard options.firstQueries else { return }
        try store.close()
        store = try Store.openReader(at: csMain)
    }

    func queryDownsample() throws {
        try ensureMainStores()
        var store = try Store.openReader(at: csMain)
        let db = try SQLiteReadings(path: sqlMain, fields: dataset.fields, create: false)
        defer { try? store.close(); db.close() }
        let field = dataset.queryField
        let from = dataset.minTimestamp, to = dataset.maxTimestamp + 1
        let iterations = max(5, options.queryIterations / 4)
        let (cs, sql) = try timeQuery("q-downsample", iterations: iterations, arguments: { [pickDevice()] },
            prepare: { try reopenForFirstQuery(&store) }, chunkstore: { a in
                try downsampleAnswer(store.downsample(DownsampleQuery(device: a[0] as? String, from: from, to: to, fields: [field],
                                                                      bucket: .nanoseconds(SQLiteReadings.hourNanos),
                                                                      functions: [.mean, .min, .max])))
            }, sqlite: { a in
                try db.downsample(device: a[0] as! String, field: field, from: from, to: to)
            }, compare: { AnswerComparison.compare($0, $1, meanColumns: [0]) })
        let days = Double(to - from) / 86_400e9
        let sevenDays = options.input == nil && options.generator.days == 7
        // Issue 11's target on the default data: p50 ≤ 50 µs.
        addLatency("q-downsample", cs, sql, target: sevenDays ? "≤0.05 ms, ≥10× SQLite" : "≥10× SQLite",
                   met: (!sevenDays || cs.p50ms <= 0.05) && cs.p50ms * 10 <= sql.p50ms)
        report.extra["q-downsample"] = ["field": field, "spanDays": days, "iterations": iterations, "firstQueries": options.firstQueries]
    }

    func queryFleet() throws {
        try ensureMainStores()
        var store = try Store.openReader(at: csMain)
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
        }, prepare: { try reopenForFirstQuery(&store) }, chunkstore: { a in
            let from = a[0] as! Int64
            return try downsampleAnswer(store.downsample(DownsampleQuery(device: nil, from: from, to: from + day, fields: [field],
                                                                         bucket: .nanoseconds(SQLiteReadings.hourNanos), functions: [.mean])))
        }, sqlite: { a in
            let from = a[0] as! Int64
            return try db.fleet(field: field, from: from, to: from + day)
        }, compare: { AnswerComparison.compare($0, $1, meanColumns: [0]) })
        // Issue 11's target for 50 meters (the default data): p50 ≤ 0.5 ms.
        let fiftyMeters = options.input == nil && dataset.devices.count == 50
        addLatency("q-fleet", cs, sql, target: fiftyMeters ? "≤0.5 ms, ≥10× SQLite" : "≥10× SQLite",
                   met: (!fiftyMeters || cs.p50ms <= 0.5) && cs.p50ms * 10 <= sql.p50ms)
        report.extra["q-fleet"] = ["field": field, "devices": dataset.devices.count, "iterations": iterations, "firstQueries": options.firstQueries]
    }

    func lastAnswer(_ rows: LatestRows, fields: [String]) -> LastAnswer {
        let columns = fields.map { rows.fieldIndex(of: $0) }
        return LastAnswer(rows: rows.indices.map { r in
            .init(device: rows.devices[r], timestamp: rows.timestamps[r], values: columns.map { $0.flatMap { rows.value(r, field: $0) } })
        })
    }

    /// q-last runs on its own store of `fleetDevices` meters (an hour of 30-second
    /// readings each) for generated data, or on the user's data.
    func queryLast() throws {
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
        if options.input == nil && !options.keepFiles { removeTree(csPath); SQLiteReadings.remove(sqlPath) }
    }

    /// Open to first answer, on a one-day store and on the full store: the time must not grow with size.
    func openWorkload() throws {
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
        if !options.keepFiles { removeTree(csSmall); SQLiteReadings.remove(sqlSmall) }
    }
}
