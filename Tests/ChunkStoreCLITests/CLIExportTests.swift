import ChunkStore
import Foundation
import Testing

@Suite struct CLIExportTests {
    /// Lines with ints, floats (some awkward to print), booleans and gaps, on two devices.
    static let input: String = {
        var lines: [String] = []
        for i in 0..<300 {
            let ts = (t0 + Int64(i) * 7) * 1_000_000_000 + Int64(i % 1000)
            let power = Double(i) * 0.1 + 1e-9 * Double(i % 3)
            var fields = ["power=\(power)", "count=\(i * 1_000_003 - 150_000_000)i"]
            if i % 4 == 0 { fields.append("on=\(i % 8 == 0)") }
            lines.append("meter,device=m-\(i % 2) \(fields.joined(separator: ",")) \(ts)")
        }
        lines.append("meter,device=m\\ 3 tiny=5e-324,big=1.7976931348623157e308,neg=-0.0,max=18446744073709551615u \(t0 * 1_000_000_000)")
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test func lineProtocolRoundTripAnswersIdentically() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        #expect(try cli.run(["ingest", "--db", "db"], input: Self.input).status == 0)
        let lp = try cli.run(["export", "--db", "db", "--format", "lp"])
        #expect(lp.status == 0, "\(lp.stderr)")
        let copy = try cli.run(["ingest", "--db", "copy", "--precision", "ns"], input: lp.stdout)
        #expect(copy.status == 0, "\(copy.stderr)")
        for args in [["query", "--all-devices", "--output", "jsonl", "--epoch", "ns"], ["devices", "--output", "csv"],
                     ["query", "--all-devices", "--agg", "1h", "--fn", "count,sum,min,max", "--output", "csv"]] {
            let a = try cli.run(args + ["--db", "db"]), b = try cli.run(args + ["--db", "copy"])
            #expect(a.status == 0 && a.stdout == b.stdout && !a.stdout.isEmpty, "\(args)")
        }
    }

    @Test func jsonLinesRoundTripKeepsTypes() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        #expect(try cli.run(["ingest", "--db", "u"], input: "m,device=d max=18446744073709551615u 1\n").status == 0)
        let refused = try cli.run(["export", "--db", "u", "--format", "jsonl"])
        #expect(refused.status == 65 && refused.stderr.contains("\"max\"") && refused.stderr.contains("use --format lp"), "\(refused.stderr)")
        let noUint = Self.input.replacingOccurrences(of: ",max=18446744073709551615u", with: "")
        #expect(try cli.run(["ingest", "--db", "db"], input: noUint).status == 0)
        #expect(try cli.run(["export", "--db", "db", "--format", "jsonl", "--out", "rows.jsonl"]).status == 0)
        #expect(try cli.run(["ingest", "--db", "copy", "--format", "jsonl", "--precision", "ns", "--file", "rows.jsonl"]).status == 0)
        let a = try cli.run(["devices", "--db", "db", "--output", "csv"]), b = try cli.run(["devices", "--db", "copy", "--output", "csv"])
        #expect(a.stdout == b.stdout && a.stdout.contains("count:int"))
    }

    @Test func nanHasNoLineProtocolFormAndExits65() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        // Ingest refuses NaN; the library stores it bit for bit.
        let store = try Store.open(at: cli.path("db"))
        try store.append([Row(device: "d", timestamp: 5, fields: ["v": .float(1.5)]), Row(device: "d", timestamp: 9, fields: ["v": .float(.nan)])])
        try store.close()
        let r = try cli.run(["export", "--db", "db", "--format", "lp", "--out", "x.lp"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("\"d\"") && r.stderr.contains("\"v\"") && r.stderr.contains("time 9 ns"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.path("x.lp")) && !FileManager.default.fileExists(atPath: cli.path("x.lp.tmp")))
    }

    @Test func parquetNeedsADirectoryAndReportsWhatItWrote() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        #expect(try cli.run(["export", "--db", "db", "--format", "parquet"]).status == 64)
        #expect(try cli.run(["export", "--db", "db", "--format", "parquet", "--out", "pq", "--from", "2s", "--to", "1s"]).status == 64)
        #expect(try cli.run(["ingest", "--db", "db"], input: Self.input).status == 0)
        let first = try cli.run(["export", "--db", "db", "--format", "parquet", "--out", "pq"])
        #expect(first.status == 0 && first.stderr.contains("exported 301 rows to 1 day files"), "\(first.stderr)")
        let second = try cli.run(["export", "--db", "db", "--format", "parquet", "--out", "pq"])
        #expect(second.stderr.contains("exported 0 rows to 0 day files") && second.stderr.contains("1 days unchanged"), "\(second.stderr)")
        #expect(FileManager.default.fileExists(atPath: cli.path("pq/day=2026-01-01/part-00000.parquet")))
    }
}
