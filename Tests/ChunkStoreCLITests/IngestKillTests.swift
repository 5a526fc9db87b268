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
///
/// The input is a file read as standard input, written in pieces: holding it in this
/// process would raise the resident size that every child forked from it starts with,
/// which `CLILargeInputTests` measures.
@Suite(.serialized) struct IngestKillTests {
    static let devices = 3
    static let lines = 240_000
    static let start: Int64 = 1_796_000_000

    /// Writes the input to `path`: devices in turn, one reading a second each, value =
    /// line index.
    static func writeInput(_ path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? file.close() }
        var text = ""
        for i in 0..<lines {
            text += "m,device=d\(i % devices) v=\(i)i \(start + Int64(i))\n"
            if text.utf8.count >= 1 << 16 || i == lines - 1 {
                try file.write(contentsOf: Data(text.utf8))
                text.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Starts `chunkstore ingest` on `db` reading `input`.
    static func startIngest(db: String, input: String, sync: String) throws -> Process {
        let ingest = Process()
        ingest.executableURL = URL(fileURLWithPath: try CLI.requireExecutable())
        ingest.arguments = ["ingest", "--db", db, "--precision", "s", "--sync", sync]
        ingest.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: input))
        ingest.standardOutput = FileHandle.nullDevice
        ingest.standardError = FileHandle.nullDevice
        try ingest.run()
        return ingest
    }

    @Test(arguments: ["always", "none"])
    func aKilledIngestLeavesEachDeviceAPrefixOfItsInput(sync: String) throws {
        let cycles = Int(ProcessInfo.processInfo.environment["CHUNKSTORE_KILL_CYCLES"] ?? "") ?? 6
        var rng = SystemRandomNumberGenerator()
        var killedMidway = 0
        var storedPerCycle: [Int] = []
        let files = try CLI()
        defer { files.cleanUp() }
        let input = files.path("input.lp")
        try Self.writeInput(input)
        // One whole ingest first, to time the kills within it (debug and release builds,
        // idle and busy machines differ tenfold).
        let whole = try Self.ingestAll(input: input, sync: sync)
        for cycle in 0..<cycles {
            let cli = try CLI()
            defer { cli.cleanUp() }
            let db = cli.path("kill-\(cycle)")
            let ingest = try Self.startIngest(db: db, input: input, sync: sync)
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
    static func ingestAll(input: String, sync: String) throws -> Double {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = cli.path("whole")
        let started = Date()
        let ingest = try startIngest(db: db, input: input, sync: sync)
        ingest.waitUntilExit()
        let seconds = Date().timeIntervalSince(started)
        #expect(ingest.terminationStatus == 0)
        let store = try Store.openReader(at: db)
        defer { try? store.close() }
        #expect(try (0..<devices).map { try store.range(device: "d\($0)").count }.reduce(0, +) == lines)
        return seconds
    }
}
