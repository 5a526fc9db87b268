import ChunkStore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SIGKILLs a writer process (`chunkstore _crash-writer`) at random moments, again and
/// again on the same store, and checks after every kill that every acknowledged batch is
/// there exactly once with its values, nothing is there that was never sent, `verify` is
/// clean and the store goes on accepting writes.
///
/// CI runs a few kills per sync policy; `scripts/crash-test.sh` runs hundreds
/// (`CHUNKSTORE_KILL_CYCLES`).
@Suite(.serialized) struct CrashSafetyTests {
    static let rowsPerBatch = 20

    struct Tally {
        var acknowledged = Set<Int>()
        /// Batches whose append may or may not have completed when the writer died.
        var inFlight = Set<Int>()
        var kills = 0
    }

    /// `always+compact`: the writer flushes and compacts every few batches, so kills land
    /// inside compactions (SPEC §8, "Compaction and drops").
    @Test(arguments: ["always", "interval", "always+compact"])
    func killedWritersLoseNoAcknowledgedBatch(mode: String) throws {
        let sync = String(mode.prefix { $0 != "+" })
        let compactEvery = mode.hasSuffix("+compact") ? 2 : 0
        let cycles = Int(ProcessInfo.processInfo.environment["CHUNKSTORE_KILL_CYCLES"] ?? "") ?? 6
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = cli.path("crash-store")
        var rng = SystemRandomNumberGenerator()
        var tally = Tally()
        var next = 0
        for _ in 0..<cycles {
            let acked = try runAndKill(db: db, start: next, sync: sync, compactEvery: compactEvery,
                                       acks: Int.random(in: 1...40, using: &rng),
                                       delayMicroseconds: UInt32.random(in: 0...3000, using: &rng))
            tally.kills += 1
            tally.acknowledged.formUnion(acked)
            let last = acked.max() ?? (next - 1)
            tally.inFlight.insert(last + 1)
            next = last + 2
            try check(db: db, tally: tally)
        }
        print("crash test (\(mode)): \(tally.kills) kills, \(tally.acknowledged.count) acknowledged batches, 0 lost")
    }

    /// Starts a writer, waits for `acks` acknowledgements plus a random delay, SIGKILLs it.
    func runAndKill(db: String, start: Int, sync: String, compactEvery: Int, acks: Int, delayMicroseconds: UInt32) throws -> [Int] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try CLI.requireExecutable())
        process.arguments = ["_crash-writer", "--db", db, "--start", "\(start)", "--sync", sync,
                             "--rows", "\(Self.rowsPerBatch)", "--chunk-rows", "90", "--compact-every", "\(compactEvery)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var acked: [Int] = []
        var pending = ""
        let reader = pipe.fileHandleForReading
        while acked.count < acks {
            let data = reader.availableData
            if data.isEmpty { break }
            pending += String(decoding: data, as: UTF8.self)
            while let newline = pending.firstIndex(of: "\n") {
                let line = pending[..<newline]
                pending = String(pending[pending.index(after: newline)...])
                if line.hasPrefix("ack "), let n = Int(line.dropFirst(4)) { acked.append(n) }
            }
        }
        usleep(delayMicroseconds)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // Acknowledgements written before the kill but not read yet still count.
        pending += String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
        for line in pending.split(separator: "\n") where line.hasPrefix("ack ") {
            if let n = Int(line.dropFirst(4)) { acked.append(n) }
        }
        return acked
    }

    func check(db: String, tally: Tally) throws {
        let store = try Store.open(at: db)
        defer { try? store.close() }
        var expected: [String: [Int64]] = [:]
        for batch in tally.acknowledged.sorted() {
            for i in 0..<Self.rowsPerBatch { expected["dev-\(batch % 3)", default: []].append(Int64(batch) * 1000 + Int64(i)) }
        }
        for device in ["dev-0", "dev-1", "dev-2"] {
            let range = try store.range(device: device, fields: ["batch", "v"])
            var byBatch: [Int: Int] = [:]
            for (r, t) in range.timestamps.enumerated() {
                let batch = Int(t / 1000)
                byBatch[batch, default: 0] += 1
                #expect(range.values[0][r] == .int(Int64(batch)), "batch field of \(device) at \(t)")
                #expect(range.values[1][r] == .float(Double(t) / 8), "value of \(device) at \(t)")
            }
            for (batch, count) in byBatch {
                #expect(tally.acknowledged.contains(batch) || tally.inFlight.contains(batch), "batch \(batch) was never sent")
                #expect(count == Self.rowsPerBatch, "batch \(batch) of \(device) has \(count) rows: appends are all or nothing")
            }
            let present = Set(range.timestamps)
            for t in expected[device] ?? [] where !present.contains(t) {
                Issue.record("acknowledged row \(device)@\(t) lost")
            }
        }
        #expect(try store.verify().isEmpty)
        // The store goes on accepting writes (a row outside every batch's timestamps).
        try store.append([Row(device: "probe", timestamp: 1, fields: ["ok": .bool(true)])])
    }
}
