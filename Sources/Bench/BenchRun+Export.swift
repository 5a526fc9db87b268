import ChunkStore
import Foundation

/// The export workload: the whole store to Parquet (Hive layout), from scratch each run.
extension BenchRun {
    func exportWorkload() throws {
        try ensureMainStores()
        let store = try Store.openReader(at: csMain)
        defer { try? store.close() }
        let out = dir + "/export"
        var bytes = 0
        func once(_ path: String) throws -> Double {
            removeTree(path)
            let t0 = now()
            let summary = try ParquetExport(directory: path).run(store: store)
            let seconds = Double(now() - t0) / 1e9
            guard summary.rows == dataset.rows else {
                throw BenchError("export wrote \(summary.rows) rows, the store holds \(dataset.rows)")
            }
            bytes = summary.bytes
            return seconds
        }
        let rssBefore = peakRSS()
        let seconds = try timed("ChunkStore", warmUp: { _ = try once(out) }, run: { try once(out) })
        removeTree(out)
        let rowsPerSecond = Double(dataset.rows) / seconds
        let storeBytes = directoryUsage(csMain).bytes
        let ratio = Double(bytes) / Double(storeBytes)
        report.add(Figure(workload: "export", metric: "Parquet rows/s", unit: "rows/s", chunkstore: rowsPerSecond, sqlite: nil,
                          higherIsBetter: true, target: "≥5M/s", met: rowsPerSecond >= 5e6))
        report.add(Figure(workload: "export", metric: "Parquet bytes ÷ store bytes", unit: "×", chunkstore: ratio, sqlite: nil,
                          higherIsBetter: false, target: "≤1.5", met: ratio <= 1.5))
        report.add(Figure(workload: "export", metric: "Parquet bytes/point", unit: "B", chunkstore: Double(bytes) / Double(dataset.points),
                          sqlite: nil, higherIsBetter: false))
        report.extra["export"] = ["parquetBytes": bytes, "storeBytes": storeBytes, "peakRSSBeforeBytes": rssBefore,
                                  "peakRSSAfterBytes": peakRSS(), "rowGroupRows": 1 << 20]
    }
}
