import ChunkStore
import Foundation
import Testing

/// A slow feed piped into `chunkstore ingest` is visible to readers in other processes
/// while the ingest is still running, each row long before any chunk is sealed; after the
/// writer is killed, readers still see every row it had appended, and once a new writer
/// recovers the log, each row exactly once.
@Suite struct LiveFeedTests {
    /// Polls `body` until it returns true or `seconds` pass; returns the time it took.
    static func waitUntil(seconds: Double, _ body: () throws -> Bool) rethrows -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            if try body() { return Date().timeIntervalSince(start) }
            usleep(5_000)
        }
        return nil
    }

    @Test func readersFollowALiveIngestAndSurviveItsKill() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = cli.path("live")
        let ingest = Process()
        ingest.executableURL = URL(fileURLWithPath: try CLI.requireExecutable())
        ingest.arguments = ["ingest", "--db", db, "--precision", "s", "--sync", "always"]
        let feed = Pipe()
        ingest.standardInput = feed
        ingest.standardOutput = FileHandle.nullDevice
        ingest.standardError = FileHandle.nullDevice
        try ingest.run()
        defer { if ingest.isRunning { kill(ingest.processIdentifier, SIGKILL) } }

        let start: Int64 = 1_796_000_000
        let rows = 12
        var lags: [Double] = []
        var reader: Store?
        for i in 0..<rows {
            feed.fileHandleForWriting.write(Data("m,device=live p=\(i)i \(start + Int64(i) * 5)\n".utf8))
            if reader == nil {
                _ = Self.waitUntil(seconds: 20) { FileManager.default.fileExists(atPath: db + "/MANIFEST") }
                reader = try Store.openReader(at: db)
            }
            let seen = try Self.waitUntil(seconds: 20) { try reader?.range(device: "live").count == i + 1 }
            #expect(seen != nil, "row \(i) not visible to a reader while the ingest runs")
            lags.append(seen ?? 20)
            if i % 4 == 3 {
                // Another process: the CLI's own reader commands.
                let last = try cli.run(["last", "--db", db, "--device", "live", "--output", "csv"])
                #expect(csvRows(last.stdout).last?.contains("\(i)") == true, "last: \(last.stdout) \(last.stderr)")
                let query = try cli.run(["query", "--db", db, "--device", "live", "--output", "csv"])
                #expect(csvRows(query.stdout).count == i + 2, "query: \(query.stdout)")
            }
        }
        #expect(ingest.isRunning, "the ingest must still be running: the rows were not sealed at its end")
        #expect(try FileManager.default.contentsOfDirectory(atPath: db + "/data").isEmpty, "no chunk should be sealed yet")
        print("live feed: reader lag median \(lags.sorted()[lags.count / 2] * 1000) ms, max \((lags.max() ?? 0) * 1000) ms")

        // The writer dies: readers keep every row it had appended (all of them acknowledged
        // under --sync always once visible), and a new writer's recovery seals them once.
        kill(ingest.processIdentifier, SIGKILL)
        ingest.waitUntilExit()
        #expect(try reader?.range(device: "live").count == rows)
        #expect(try cli.run(["ingest", "--db", db], input: "").status == 0)
        let sealed = try reader?.range(device: "live")
        #expect(sealed?.count == rows)
        #expect(sealed?.values.first?.compactMap { $0 } == (0..<rows).map { FieldValue.int(Int64($0)) })
        try reader?.close()
    }
}
