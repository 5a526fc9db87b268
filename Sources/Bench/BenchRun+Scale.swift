import ChunkStore
import Foundation

/// The 10,000-device scale check, and comparing whole stores between the engines.
extension BenchRun {
    // MARK: Scale check

    /// 10,000 meters × 2 days of 5-second readings through the columnar append API with
    /// default store options (64 MiB head bound), generated device by device so the
    /// generator holds one batch at a time.
    func scaleCheck() throws {
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
    func compareStores(csPath: String, sqlPath: String, label: String) throws {
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
