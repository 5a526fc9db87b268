import Testing
@testable import ChunkStore

/// Full batches are appended on a second thread while the next is parsed: batches must
/// still reach the store in input order, and a failed append must stop the ingest with
/// exactly the batches before it stored.
@Suite struct BatchAppenderTests {
    /// Two devices re-send the same eight timestamps round after round with new values,
    /// four lines a batch, so every round spans batches that are appended while the next
    /// is being filled: the duplicate policy must see them in input order.
    @Test(arguments: [DuplicatePolicy.last, .first])
    func batchesReachTheStoreInInputOrder(policy: DuplicatePolicy) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"), options: StoreOptions(duplicatePolicy: policy))
        let ingester = Ingester(store: store, format: .lp, precision: .ns, batchRows: 4, now: { 0 })
        let rounds = 60
        var lines: [String] = []
        for round in 0..<rounds {
            for ts in 0..<8 {
                for device in ["a", "b"] { lines.append("m,device=\(device) v=\(round)i \(1_000 + ts)") }
            }
        }
        // One more line re-sends the last line's row: it is appended by the final flush,
        // right after the full batch before it was handed off, and must still come after it.
        lines.append("m,device=b v=\(rounds)i 1007")
        let summary = try Array(lines.joined(separator: "\n").utf8).withUnsafeBytes { buffer in
            try ingester.ingest(buffer: buffer) { _ in Issue.record("no line is bad"); return true }
        }
        #expect(summary.rows == lines.count)
        let expected = Int64(policy == .last ? rounds - 1 : 0)
        for device in ["a", "b"] {
            let stored = try store.range(device: device)
            #expect(stored.timestamps == (0..<8).map { 1_000 + Int64($0) })
            var values = Array(repeating: FieldValue.int(expected), count: 8)
            if device == "b", policy == .last { values[7] = .int(Int64(rounds)) }
            #expect(stored.values[0] == values, "\(device)")
        }
        try store.close()
    }

    /// The file system fails after `k` more operations (once, or for good), somewhere in the
    /// middle of an ingest of 16-line batches. The ingest must throw (not hang, not go on
    /// past the failed batch, even when the next append would succeed), and what
    /// a reopened store holds must be the lines of whole batches from the start of the
    /// input, each with its own value: nothing out of order, nothing half-stored.
    @Test(arguments: [3, 10, 25, 60, 140], [true, false])
    func aFailedAppendStopsTheIngestWithAWholeBatchPrefixStored(afterOperations k: Int, sticky: Bool) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.child("s")
        let fileSystem = FaultyFileSystem(root: dir.path)
        // No chunk fills and every row is in one day: nothing seals in the background, so the
        // fault meets an append (its WAL write or sync), not a seal that would be retried.
        var options = StoreOptions(sync: .always, chunkRowLimit: 100_000)
        options.fileSystem = fileSystem
        var lines: [String] = []
        for i in 0..<3_000 { lines.append("m,device=d\(i % 3) v=\(i)i \(1_000_000 + i)") }
        do {
            let store = try Store.open(at: path, options: options)
            fileSystem.inject(.enospc, at: fileSystem.operationCount + k, sticky: sticky)
            let ingester = Ingester(store: store, format: .lp, precision: .ns, batchRows: 16, now: { 0 })
            var failed = false
            do {
                _ = try Array(lines.joined(separator: "\n").utf8).withUnsafeBytes { buffer in
                    try ingester.ingest(buffer: buffer) { _ in Issue.record("no line is bad"); return true }
                }
            } catch {
                failed = true
            }
            #expect(failed, "the ingest must report the failed append")
            try? store.close()
        }
        #expect(fileSystem.faultsInjected > 0)

        let reopened = try Store.open(at: path)
        defer { try? reopened.close() }
        var stored: [Int64: FieldValue] = [:]
        for device in try reopened.devices().map(\.device) {
            let rows = try reopened.range(device: device)
            for (r, ts) in rows.timestamps.enumerated() { stored[ts] = rows.values[0][r] }
        }
        #expect(stored.count % 16 == 0, "only whole batches are stored, got \(stored.count) rows")
        #expect(stored.count < lines.count)
        for i in 0..<stored.count {
            #expect(stored[1_000_000 + Int64(i)] == .int(Int64(i)), "line \(i + 1) of the stored prefix")
        }
    }
}
