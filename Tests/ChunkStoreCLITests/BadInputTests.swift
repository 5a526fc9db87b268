import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every class of bad input in the README's table, through the command as a user runs it:
/// the message and exit code, and that what was stored before stays stored and verifies.
@Suite struct BadInputTests {
    func ingest(_ cli: CLI, _ input: String, _ extra: [String] = []) throws -> CLIResult {
        try cli.run(["ingest", "--precision", "ns", "--db", "db"] + extra, input: input)
    }

    func rows(_ cli: CLI, device: String) throws -> [[String]] {
        Array(csvRows(try cli.run(["query", "--db", "db", "--device", device, "--epoch", "ns"]).stdout).dropFirst())
    }

    @Test func malformedLinesWrongTypesAndAbsurdTimestamps() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let input = """
        m,device=d v=1 1000
        m,device=d v=
        m,device=d v=2i 2000
        m,device=d v=3 99999999999999999999
        m,device=d v=4 4000

        """
        let result = try ingest(cli, input)
        #expect(result.status == 65)
        #expect(result.stderr.contains("line 2:"))
        #expect(result.stderr.contains("line 3: device \"d\" field \"v\" has type float, got a value of type int"))
        #expect(result.stderr.contains("line 4:"))
        #expect(try rows(cli, device: "d").map { $0[1] } == ["1000", "4000"])
        // Seconds that overflow 64-bit nanoseconds are refused, not wrapped.
        let overflow = try ingest(cli, "m,device=d v=5 9999999999999\n", ["--precision", "s"])
        #expect(overflow.status == 65 && overflow.stderr.contains("line 1:"))
        #expect(try cli.run(["verify", "--db", "db"]).status == 0)
    }

    @Test func hugeLinesInvalidUTF8AndEmptyInput() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let huge = "m,device=d v=1,w=\"" + String(repeating: "x", count: 1_100_000) + "\" 1\n"
        var bytes = Array("m,device=ok v=1 1\n".utf8) + Array(huge.utf8)
        bytes += Array("m,device=".utf8) + [0xFF, 0xFE] + Array(" v=1 2\nm,device=ok v=2 3\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: cli.path("in.lp")))
        let result = try cli.run(["ingest", "--precision", "ns", "--db", "db", "--file", "in.lp"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("line 2:") && result.stderr.contains("longer than"))
        #expect(result.stderr.contains("line 3:") && result.stderr.contains("UTF-8"))
        #expect(try rows(cli, device: "ok").map { $0[1] } == ["1", "3"])

        let empty = try cli.run(["ingest", "--precision", "ns", "--db", "empty"], input: "")
        #expect(empty.status == 0)
        #expect(empty.stderr.contains("ingested 0 rows"))
        #expect(try cli.run(["verify", "--db", "empty"]).status == 0)
    }

    @Test func unwritableOrMissingLocations() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let missing = try cli.run(["query", "--db", "no-such-store", "--device", "d"])
        #expect(missing.status == 66 && missing.stderr == "chunkstore: no store at no-such-store\n")
        // /proc refuses new directories even to root: a read-only place.
        let readOnly = try cli.run(["ingest", "--precision", "ns", "--db", "/proc/chunkstore-test"], input: "m,device=d v=1 1\n")
        #expect(readOnly.status == 73)
        #expect(readOnly.stderr.hasPrefix("chunkstore: cannot create /proc/chunkstore-test"))
    }

    /// A real full disk: a 512 KiB tmpfs (mounting needs root, which CI has).
    @Test(.enabled(if: getuid() == 0)) func fullDiskFailsCleanlyAndKeepsStoredData() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let mountPoint = cli.path("small-disk")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mount = try cli.runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", mountPoint])
        try #require(mount == 0, "mount -t tmpfs failed: this test needs root")
        defer { _ = try? cli.runTool("/bin/umount", [mountPoint]) }
        let db = mountPoint + "/db"

        let first = try cli.run(["ingest", "--precision", "ns", "--db", db], input: "m,device=kept v=1.5 1\nm,device=kept v=2.5 2\n")
        #expect(first.status == 0)
        var big = ""
        for i in 0..<120_000 { big += "m,device=d\(i % 50) v=\(Double(i) * 1.37),w=\(i)i \(1_000_000 + i)\n" }
        let full = try cli.run(["ingest", "--precision", "ns", "--db", db], input: big)
        #expect(full.status == 74, "\(full.stderr)")
        #expect(full.stderr.contains("No space left on device"))
        // Stored data survives, and the store opens again (the next writer cuts the torn log tail).
        let again = try cli.run(["ingest", "--precision", "ns", "--db", db], input: "")
        #expect(again.status == 0 || again.status == 74, "\(again.stderr)")
        let kept = try cli.run(["query", "--db", db, "--device", "kept", "--epoch", "ns"])
        #expect(kept.status == 0)
        #expect(Array(csvRows(kept.stdout).dropFirst()).map { $0[2] } == ["1.5", "2.5"])
    }

    @Test func damagedFilesAreNamedNotReturned() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        #expect(try ingest(cli, "m,device=d v=1 1\nm,device=d v=2 2\n").status == 0)
        let dataDir = cli.path("db/data")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: dataDir).first)
        let path = dataDir + "/" + name
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 10] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let query = try cli.run(["query", "--db", "db", "--device", "d"])
        #expect(query.status == 65)
        #expect(query.stderr.contains(name) && query.stderr.contains("offset"))
        let verify = try cli.run(["verify", "--db", "db"])
        #expect(verify.status == 65 && verify.stderr.contains(name))
        let repair = try cli.run(["repair", "--db", "db"])
        #expect(repair.status == 65 && repair.stderr.contains("dropped"))
        #expect(try cli.run(["verify", "--db", "db"]).status == 0)
    }
}

extension CLI {
    /// Runs a system tool (mount, umount) and returns its exit status.
    func runTool(_ path: String, _ args: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = args
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
