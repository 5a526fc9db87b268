import Foundation
import Testing

/// `--from` / `--to`: leading-minus relative times, words, reversed ranges, help text.
@Suite struct CLITimeArgumentTests {
    /// One device with readings at now-3h, now-90m, now-45m and now-10m.
    static func recentStore(_ cli: CLI) throws -> [Int64] {
        let now = Int64(Date().timeIntervalSince1970)
        let stamps = [now - 10_800, now - 5_400, now - 2_700, now - 600]
        let lines = stamps.enumerated().map { "m,device=d v=\($0.offset)i \($0.element)000000000" }
        let result = try cli.run(["ingest", "--db", "db"], input: lines.joined(separator: "\n") + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        return stamps
    }

    @Test func leadingMinusIsRelativeToNow() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let stamps = try Self.recentStore(cli)
        let forms: [[String]] = [
            ["--from", "-1h"], ["--from=-1h"], ["--from", "now-1h"], ["--from", " -60m"],
            ["--from", "-2h", "--to", "-30m"], ["--from=-2h", "--to=-30m"],
        ]
        for form in forms {
            let result = try cli.run(["query", "--db", "db", "--device", "d", "--output", "csv", "--epoch", "s"] + form)
            #expect(result.status == 0, "\(form): \(result.stderr)")
            let times = csvRows(result.stdout).dropFirst().map { Int64($0[1]) }
            let expected = form.contains { $0.hasSuffix("-30m") } ? [stamps[1], stamps[2]] : [stamps[2], stamps[3]]
            #expect(times == expected, "\(form)")
        }
    }

    @Test func wordsSuggestRelativeTimes() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        _ = try Self.recentStore(cli)
        let yesterday = try cli.run(["query", "--db", "db", "--device", "d", "--from", "yesterday"])
        #expect(yesterday.status == 64)
        #expect(yesterday.stderr.contains("--from: time \"yesterday\"") && yesterday.stderr.contains("now-1d"), "\(yesterday.stderr)")
        let tomorrow = try cli.run(["query", "--db", "db", "--device", "d", "--to", "tomorrow"])
        #expect(tomorrow.status == 64)
        #expect(tomorrow.stderr.contains("--to: time \"tomorrow\"") && tomorrow.stderr.contains("now-1d"), "\(tomorrow.stderr)")
        let bad = try cli.run(["query", "--db", "db", "--device", "d", "--from", "-1x"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--from"), "\(bad.stderr)")
    }

    @Test func fromLaterThanToIsAUsageError() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        _ = try Self.recentStore(cli)
        let result = try cli.run(["query", "--db", "db", "--device", "d",
                                  "--from", "2026-01-02", "--to", "2026-01-01T00:00:00Z"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("--from (2026-01-02T00:00:00.000000000Z) is later than --to (2026-01-01T00:00:00.000000000Z)"), "\(result.stderr)")
        let relative = try cli.run(["query", "--db", "db", "--device", "d", "--from", "-10m", "--to", "-1h"])
        #expect(relative.status == 64, "\(relative.stderr)")
        // Equal bounds are an empty range, not an error.
        let equal = try cli.run(["query", "--db", "db", "--device", "d", "--from", "2026-01-01", "--to", "2026-01-01",
                                 "--output", "csv"])
        #expect(equal.status == 0, "\(equal.stderr)")
    }

    @Test func helpDocumentsEveryTimeForm() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let help = try cli.run(["query", "--help"])
        #expect(help.status == 0)
        for form in ["2026-01-01 ", "1767225600s", "now-15m", "-1h", "1w", "1mo", "later than --to", "exits 66"] {
            #expect(help.stdout.contains(form), "query --help lacks \(form)")
        }
    }
}
