import Foundation
import Testing

/// `query` and `last` parse their plain shapes without ArgumentParser (for a fast cold
/// start). Whatever the arguments, the answer must be the one ArgumentParser's path gives:
/// the same output, the same error words, the same exit status.
@Suite struct CLIFastArgumentsTests {
    static let lines = """
        m,device=meter-001 power_w=1,voltage_v=230 1767225600
        m,device=meter-001 power_w=3,voltage_v=231 1767229260
        m,device=meter-002 power_w=2,current_a=0.5 1767225600
        m,device=meter-003 power_w=9 1767225600
        """

    /// Argument lists the fast parser takes, and ones it must hand to ArgumentParser.
    static let cases: [[String]] = [
        ["query", "--device", "meter-001"],
        ["query", "--device", "meter-001", "--agg", "1h"],
        ["query", "--device=meter-001", "--agg=1h", "--fn=min,max", "--field=power_w", "--output=json"],
        ["query", "--device", "meter-002", "--device", "meter-001", "--field", "power_w", "--field", "voltage_v,current_a"],
        ["query", "--all-devices", "--from", "2026-01-01T00:30:00Z", "--to", "2026-01-02", "--epoch", "ms", "--output", "jsonl"],
        ["query", "--all-devices", "--from", "-1h"],
        ["query", "--all-devices", "--agg", "1d", "--tz", "Europe/Paris", "--fn", "count", "--output", "table"],
        ["query", "--device", "meter-001", "--agg", "1w", "--fn", "sum,first,last,mean"],
        ["last"],
        ["last", "--device", "meter-003", "--device", "meter-001", "--epoch", "s"],
        ["last", "--output", "json"],
        // Errors found after parsing: the store's answer.
        ["query", "--device", "meter-01"],
        ["query", "--device", "meter-001", "--field", "power"],
        ["last", "--device", "boiler"],
        // Usage errors and everything else ArgumentParser words.
        ["query"],
        ["query", "--device", "meter-001", "--all-devices"],
        ["query", "--device", "meter-001", "--fn", "max"],
        ["query", "--device", "meter-001", "--agg", "7x"],
        ["query", "--device", "meter-001", "--agg", "1h", "--agg", "1d"],
        ["query", "--device", "meter-001", "--from", "2026-01-02", "--to", "2026-01-01"],
        ["query", "--device", "meter-001", "--output", "xml"],
        ["query", "--device", "meter-001", "--epoch"],
        ["query", "--device", "-x"],
        ["query", "--device", ""],
        ["query", "--device", "meter-001", "--bogus"],
        ["query", "--device", "meter-001", "-h"],
        ["query", "--help"],
        ["query", "--all-devices", "--all-devices"],
        ["query", "--all-devices=yes"],
        ["query", "--device", "meter-001", "extra"],
        ["last", "--agg", "1h"],
        ["last", "--all-devices"],
        ["last", "--db", ""],
        ["last", "--"],
    ]

    @Test func everyShapeAnswersAsArgumentParserDoes() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        #expect(try cli.run(["ingest", "--db", "db", "--precision", "s"], input: Self.lines).status == 0)
        var fastAnswers = 0
        for args in Self.cases {
            let withDB = args.contains { $0.hasPrefix("--db") } ? args : args + ["--db", "db"]
            let fast = try cli.run(withDB)
            let parsed = try cli.run(withDB, environment: ["CHUNKSTORE_ARGUMENT_PARSER": "1"])
            #expect(fast.status == parsed.status, "\(withDB): \(fast.stderr)")
            #expect(fast.stdout == parsed.stdout, "\(withDB)")
            #expect(fast.stderr == parsed.stderr, "\(withDB)")
            if fast.status == 0, !fast.stdout.isEmpty { fastAnswers += 1 }
        }
        // The list exercises real answers, not only errors.
        #expect(fastAnswers >= 10)
    }

    @Test func storeFromTheEnvironmentOrTheDefaultDirectory() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        #expect(try cli.run(["ingest", "--precision", "s"], input: Self.lines).status == 0)
        #expect(try cli.run(["ingest", "--db", "other", "--precision", "s"], input: Self.lines).status == 0)
        for environment in [[:], ["CHUNKSTORE_DB": "other"], ["CHUNKSTORE_DB": ""]] {
            for args in [["last"], ["query", "--device", "meter-001", "--agg", "1h", "--output", "csv"]] {
                let fast = try cli.run(args, environment: environment)
                var forced = environment
                forced["CHUNKSTORE_ARGUMENT_PARSER"] = "1"
                let parsed = try cli.run(args, environment: forced)
                #expect(fast.status == 0, "\(args) \(environment): \(fast.stderr)")
                #expect(fast.stdout == parsed.stdout && fast.stderr == parsed.stderr, "\(args) \(environment)")
                #expect(fast.stdout.contains("meter-001"))
            }
        }
    }
}
