import Foundation
import Testing

/// `query --agg ... --tz ZONE`: local-calendar buckets through the CLI, with the zone read
/// from `$TZDIR` (a copy of the test fixtures, so the test needs no system tzdata).
@Suite struct CLITimeZoneTests {
    /// A tz directory holding Europe/Paris, copied from the library tests' fixtures.
    func zoneDirectory(in cli: CLI) throws -> String {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../ChunkStoreTests/Fixtures/zoneinfo/Europe-Paris").standardizedFileURL
        let directory = cli.path("zoneinfo")
        try FileManager.default.createDirectory(atPath: directory + "/Europe", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture.path, toPath: directory + "/Europe/Paris")
        return directory
    }

    @Test func dailyBucketsFollowParisAcrossTheSpringChange() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        // One reading every 10 minutes from 2026-03-28T00:00Z to 2026-03-31T00:00Z.
        let start: Int64 = 1_774_656_000
        let lines = stride(from: start, to: start + 3 * 86_400, by: 600).map { "m,device=d p=1i \($0)" }
        #expect(try cli.run(["ingest", "--db", "db", "--precision", "s"], input: lines.joined(separator: "\n")).status == 0)
        let env = ["TZDIR": try zoneDirectory(in: cli)]
        let local = try cli.run(["query", "--db", "db", "--device", "d", "--agg", "1d", "--fn", "count", "--tz", "Europe/Paris",
                                 "--output", "csv"], environment: env)
        #expect(local.status == 0, "\(local.stderr)")
        #expect(csvRows(local.stdout).dropFirst().map { $0[1] + " " + $0[2] } == [
            "2026-03-27T23:00:00.000000000Z 138",  // the data start at 01:00 Paris time on the 28th
            "2026-03-28T23:00:00.000000000Z 138",  // the 29th lasts 23 hours
            "2026-03-29T22:00:00.000000000Z 144",
            "2026-03-30T22:00:00.000000000Z 12",
        ])
        let utc = try cli.run(["query", "--db", "db", "--device", "d", "--agg", "1d", "--fn", "count", "--output", "csv"])
        #expect(csvRows(utc.stdout).dropFirst().map { $0[2] } == ["144", "144", "144"])
    }

    @Test func badZonesAreUsageErrorsNamingTheZone() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        #expect(try cli.run(["ingest", "--db", "db", "--precision", "s"], input: "m,device=d p=1 1774656000").status == 0)
        let env = ["TZDIR": try zoneDirectory(in: cli)]
        for (args, words) in [(["--agg", "1d", "--tz", "Mars/Base"], "Mars/Base"), (["--tz", "Europe/Paris"], "--agg"),
                              (["--agg", "1d", "--tz", "../zoneinfo/Europe/Paris"], "tz database name")] {
            let result = try cli.run(["query", "--db", "db", "--device", "d"] + args, environment: env)
            #expect(result.status == 64, "\(args)")
            #expect(result.stderr.contains(words), "\(args): \(result.stderr)")
        }
    }
}
