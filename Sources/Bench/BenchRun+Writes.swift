import ChunkStore
import Foundation

/// The write workloads: append, lp-ingest, seal.
extension BenchRun {
    // MARK: Write workloads

    func append() throws {
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

    func lpIngest() throws {
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
                          higherIsBetter: true, target: "≥6M/s, ≥5× SQLite", met: lines / cs >= 6e6 && cs * 5 <= sql))
        report.add(Figure(workload: "lp-ingest", metric: "MB/s of text", unit: "MB/s", chunkstore: megabytes / cs,
                          sqlite: megabytes / sql, higherIsBetter: true))
    }

    /// Seal: rows are appended with sealing held back (untimed), then sealing them all is
    /// timed. SQLite's counterpart is the checkpoint that moves its WAL into the B-tree.
    func seal() throws {
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
}
