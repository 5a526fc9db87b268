import ChunkStore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SIGKILLs `chunkstore ingest` while it streams a large input, with one batch being
/// appended on its second thread while the next is parsed, and checks what the next writer
/// recovers: each device's rows are exactly the first rows it was sent, in order, each with
/// its own value (no batch missing before a stored one, none applied out of order, no row
/// twice), and `verify` is clean.
@Suite(.serialized) struct IngestKillTests {
    static let devices = 3
    static let lines = 240_000
    static let start: Int64 = 1_796_000_000

    /// The input: devices in turn, one reading a second each, value = line index.
    static let input: Data = {
        var text = ""
        text.reserveCapacity(lines * 40)
        for i in 0..<lines { text += "m,device=d\(i % devices) v=\(i)i \(start + Int64(i))\n" }
        return Data(text.utf8)
    }()

    @Test(arguments: ["always", "none"])
    func aKilledIngestLeavesEachDeviceAPrefixOfItsInput(sync: String) throws {
        let cycles = Int(ProcessInfo.processInfo.environment["CHUNKSTORE_KILL_CYCLES"] ?? "") ?? 6
        var rng = SystemRandomNumberGenerator()
        var killedMidway = 0
        var storedPerCycle: [Int] = []
        // One whole ingest first, to time the kills within it (debug and release builds,
        // idle and busy machines differ tenfold).
        let whole = try Self.ingestAll(sync: sync)
        for cycle in 0..<cycles {
            let cli = try CLI()
            defer { cli.cleanUp() }
            let db = cli.path("kill-\(cycle)")
            let ingest = Process()
            ingest.executableURL = URL(fileURLWithPath: try CLI.requireExecutable())
            ingest.arguments = ["ingest", "--db", db, "--precision", "s", "--sync", sync]
            let feed = Pipe()
            ingest.standardInput = feed
            ingest.standardOutput = FileHandle.nullDevice
            ingest.standardError = FileHandle.nullDevice
            try ingest.run()
            // Feed from another thread: the pipe fills, and the kill must not wait for it.
            let writer = Thread {
                signal(SIGPIPE, SIG_IGN)
                try? feed.fileHandleForWriting.write(contentsOf: Self.input)
                try? feed.fileHandleForWriting.close()
            }
            writer.start()
            usleep(UInt32(whole * Double.random(in: 0.15...0.9, using: &rng) * 1e6))
            if ingest.isRunning { killedMidway += 1 }
            kill(ingest.processIdentifier, SIGKILL)
            ingest.waitUntilExit()

            let verify = try cli.run(["verify", "--db", db])
            // A store killed before it wrote its manifest does not exist yet: nothing to check.
            guard FileManager.default.fileExists(atPath: db + "/MANIFEST") else { continue }
            #expect(verify.status == 0, "cycle \(cycle): verify after the kill: \(verify.stdout) \(verify.stderr)")
            let store = try Store.open(at: db)
            defer { try? store.close() }
            var stored = 0
            for d in 0..<Self.devices {
                let rows = try store.range(device: "d\(d)")
                stored += rows.count
                for (k, ts) in rows.timestamps.enumerated() {
                    // The k-th row of device d is input line d + k * devices.
                    let line = d + k * Self.devices
                    guard ts == (Self.start + Int64(line)) * 1_000_000_000,
                          rows.values[0][k] == .int(Int64(line)) else {
                        Issue.record("cycle \(cycle): d\(d) row \(k) is \(ts) = \(String(describing: rows.values[0][k])), not line \(line)")
                        break
                    }
                }
            }
            #expect(stored <= Self.lines)
            storedPerCycle.append(stored)
        }
        print("ingest kills (sync \(sync)): rows recovered per cycle \(storedPerCycle), \(killedMidway) killed mid-ingest")
        // Not every kill need land mid-ingest on a busy machine, but most must, or the test
        // says nothing about the batch in flight.
        #expect(killedMidway * 2 >= cycles, "only \(killedMidway) of \(cycles) kills landed while the ingest ran")
        #expect(storedPerCycle.contains { $0 > 2 * 16_384 }, "no kill came after two batches: \(storedPerCycle)")
    }

    /// Seconds one uninterrupted ingest of the input takes; checks it stores every line.
    static func ingestAll(sync: String) throws -> Double {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = cli.path("whole")
        let started = Date()
        let run = try cli.run(["ingest", "--db", db, "--precision", "s", "--sync", sync],
                              input: String(decoding: input, as: UTF8.self))
        let seconds = Date().timeIntervalSince(started)
        #expect(run.status == 0, "\(run.stderr)")
        let store = try Store.openReader(at: db)
        defer { try? store.close() }
        #expect(try (0..<devices).map { try store.range(device: "d\($0)").count }.reduce(0, +) == lines)
        return seconds
    }
}
