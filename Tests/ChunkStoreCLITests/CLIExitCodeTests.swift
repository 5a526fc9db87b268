import Foundation
import Testing

@Suite struct CLIExitCodeTests {
    @Test func usageErrorsExit64() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        for args in [["query"], ["query", "--device", "a", "--all-devices"], ["query", "--device", "a", "--output", "xml"],
                     ["query", "--device", "a", "--from", "yesterday"], ["query", "--device", "a", "--agg", "0s"],
                     ["query", "--device", "a", "--fn", "mean"], ["ingest", "--format", "xml"], ["bogus"],
                     ["query", "--device", "a", "--agg", "1h", "--fn", "median"], ["info", "--no-such-option"]] {
            let result = try cli.run(args)
            #expect(result.status == 64, "\(args): \(result.status) \(result.stderr)")
            #expect(result.stderr.hasPrefix("chunkstore: "), "\(args): \(result.stderr)")
        }
        #expect(try cli.run(["query", "--device", "a", "--from", "yesterday"]).stderr.contains("--from"))
    }

    @Test func helpAndVersionExit0() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let help = try cli.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("75  store locked by another writer"))
        for command in ["ingest", "query", "last", "devices", "info", "verify"] {
            let sub = try cli.run([command, "--help"])
            #expect(sub.status == 0)
            #expect(sub.stdout.contains("EXAMPLES"), "\(command)")
            #expect(sub.stdout.contains("64  usage error"), "\(command)")
        }
    }

    @Test func rejectedLinesExit65AndGoodLinesAreStored() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        var lines = ["m,device=d v=1 1"]
        for i in 0..<25 { lines.append("broken line \(i)") }
        lines.append("m,device=d s=\"text\" 2")
        lines.append("m,device=d v=2i 3")  // v is a float for d: type mismatch
        lines.append("m,device=d v=4 4")
        let result = try cli.run(["ingest", "--precision", "ns", "--db", "db"], input: lines.joined(separator: "\n"))
        #expect(result.status == 65)
        let errorLines = result.stderr.split(separator: "\n")
        #expect(errorLines.first?.hasPrefix("line 2: ") == true)
        #expect(errorLines.filter { $0.hasPrefix("line ") }.count == 20)
        #expect(result.stderr.contains("... and 7 more rejected lines"))
        #expect(result.stderr.contains("ingested 2 rows, 2 points, 27 rejected lines in "))
        #expect(result.stderr.contains("rows/s"))
        let stored = try cli.run(["query", "--db", "db", "--device", "d", "--epoch", "ns"])
        #expect(stored.stdout == "device,time,v\nd,1,1.0\nd,4,4.0\n")

        // The reasons of the string and type errors, shown when they are among the first 20.
        let few = try cli.run(["ingest", "--precision", "ns", "--db", "db2"], input: "m,device=d v=1 1\nm,device=d s=\"text\" 2\nm,device=d v=2i 3\n")
        #expect(few.status == 65)
        #expect(few.stderr.contains("line 2: string field"))
        #expect(few.stderr.contains("line 3: "))
        #expect(few.stderr.contains("type"))
    }

    @Test func unusableCSVHeaderStopsWith65() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let result = try cli.run(["ingest", "--precision", "ns", "--db", "db", "--format", "csv"], input: "sensor,ts,v\nm1,1,2\n")
        #expect(result.status == 65)
        #expect(result.stderr.contains("line 1: the header has no device column"))
        #expect(result.stderr.contains("chunkstore: line 1 is not a usable CSV header"))
    }

    @Test func strictStopsAtFirstBadLine() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let input = "m,device=d v=1 1\nm,device=d v=2 2\nnot line protocol\nm,device=d v=3 3\n"
        let result = try cli.run(["ingest", "--precision", "ns", "--db", "db", "--strict"], input: input)
        #expect(result.status == 65)
        #expect(result.stderr.contains("line 3: "))
        #expect(try cli.run(["query", "--db", "db", "--device", "d", "--epoch", "ns"]).stdout == "device,time,v\nd,1,1.0\nd,2,2.0\n")

        let typed = try cli.run(["ingest", "--precision", "ns", "--db", "db", "--strict"], input: "m,device=d v=5 5\nm,device=d v=6i 6\nm,device=d v=7 7\n")
        #expect(typed.status == 65)
        #expect(typed.stderr.contains("line 2: "))
        #expect(try cli.run(["last", "--db", "db", "--epoch", "ns"]).stdout == "device,time,v\nd,5,5.0\n")
    }

    @Test func missingStoreOrInputExit66() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        for command in [["query", "--device", "x"], ["last"], ["devices"], ["info"], ["verify"]] {
            let result = try cli.run(command + ["--db", "nope"])
            #expect(result.status == 66, "\(command)")
            #expect(result.stderr == "chunkstore: no store at nope\n", "\(command)")
            #expect(!FileManager.default.fileExists(atPath: cli.path("nope")))
        }
        let defaultPath = try cli.run(["info"])
        #expect(defaultPath.status == 66)
        #expect(defaultPath.stderr.contains("./chunkstore-data"))

        let noFile = try cli.run(["ingest", "--precision", "ns", "--db", "db", "--file", "missing.lp"])
        #expect(noFile.status == 66)
        #expect(noFile.stderr.contains("missing.lp"))
        #expect(!FileManager.default.fileExists(atPath: cli.path("db")), "a failed ingest must not create the store")

        try "m,device=f v=1 1\n".write(toFile: cli.path("in.lp"), atomically: true, encoding: .utf8)
        #expect(try cli.run(["ingest", "--precision", "ns", "--db", "db", "--file", "in.lp"]).status == 0)
        #expect(try cli.run(["last", "--db", "db", "--epoch", "ns"]).stdout == "device,time,v\nf,1,1.0\n")
    }

    @Test func cannotCreateExit73() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try "not a directory".write(toFile: cli.path("plain-file"), atomically: true, encoding: .utf8)
        let result = try cli.run(["ingest", "--precision", "ns", "--db", "plain-file/store"], input: "m,device=d v=1 1\n")
        #expect(result.status == 73, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("chunkstore: cannot create plain-file/store"))
    }

    @Test func ioErrorExit74() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        guard FileManager.default.isWritableFile(atPath: "/dev/full") else { return }
        #expect(try cli.run(["ingest", "--precision", "ns", "--db", "db"], input: "m,device=d v=1 1\n").status == 0)
        let result = try cli.run(["query", "--db", "db", "--device", "d"], stdoutPath: "/dev/full")
        #expect(result.status == 74)
        #expect(result.stderr.contains("cannot write to standard output"))
    }

    @Test func lockedStoreExit75() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        // A writer that waits on its standard input holds the lock.
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: try CLI.requireExecutable())
        writer.arguments = ["ingest", "--precision", "ns", "--db", cli.path("db")]
        let pipe = Pipe()
        writer.standardInput = pipe
        writer.standardError = FileHandle.nullDevice
        try writer.run()
        pipe.fileHandleForWriting.write(Data("m,device=d v=1 1\n".utf8))
        // The writer takes the lock before it writes the manifest and holds it until it
        // exits: once the manifest exists, a second writer must be refused.
        for _ in 0..<400 where !FileManager.default.fileExists(atPath: cli.path("db/MANIFEST")) {
            Thread.sleep(forTimeInterval: 0.025)
        }
        let result = try cli.run(["ingest", "--precision", "ns", "--db", "db"], input: "m,device=d v=2 2\n")
        #expect(result.status == 75)
        #expect(result.stderr.contains("store \(cli.path("db")) is locked by another writer") || result.stderr.contains("is locked by another writer"))
        // Readers do not need the lock.
        #expect(try cli.run(["info", "--db", "db"]).status == 0)
        try pipe.fileHandleForWriting.close()
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
    }

    @Test func slowStreamIsLoggedBeforeTheBatchFills() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        // One line, then the input pauses: with --sync always it must reach the log, so a
        // writer killed while waiting for more loses nothing.
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: try CLI.requireExecutable())
        writer.arguments = ["ingest", "--precision", "ns", "--db", cli.path("db"), "--sync", "always"]
        let pipe = Pipe()
        writer.standardInput = pipe
        writer.standardError = FileHandle.nullDevice
        try writer.run()
        pipe.fileHandleForWriting.write(Data("m,device=slow v=1.5 7\n".utf8))
        Thread.sleep(forTimeInterval: 1.0)
        kill(writer.processIdentifier, SIGKILL)
        writer.waitUntilExit()
        try? pipe.fileHandleForWriting.close()
        // The next writer replays the log; closing seals it into chunks.
        #expect(try cli.run(["ingest", "--precision", "ns", "--db", "db"], input: "").status == 0)
        #expect(try cli.run(["query", "--db", "db", "--device", "slow", "--epoch", "ns"]).stdout == "device,time,v\nslow,7,1.5\n")
    }

    @Test func verifyReportsCorruptionWithFileAndOffset() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let lines = (0..<2000).map { "m,device=d v=\(Double($0) * 1.5),w=\($0)i \((t0 + Int64($0)) * 1_000_000_000)" }
        #expect(try cli.run(["ingest", "--precision", "ns", "--db", "db"], input: lines.joined(separator: "\n")).status == 0)
        #expect(try cli.run(["verify", "--db", "db"]).status == 0)
        let dataDir = cli.path("db/data")
        let files = try FileManager.default.contentsOfDirectory(atPath: dataDir).sorted()
        let file = try #require(files.first)
        let path = dataDir + "/" + file
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let middle = bytes.count / 2
        for i in middle..<(middle + 8) { bytes[i] ^= 0xFF }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let result = try cli.run(["verify", "--db", "db"])
        #expect(result.status == 65)
        #expect(result.stderr.contains(file))
        #expect(result.stderr.contains("offset"))
    }
}
