import Foundation
import Testing

/// Query options as a new user types them: several devices, comma lists of fields, `-1h`,
/// words for times, reversed ranges, mistyped names, and structured JSON from `devices`.
@Suite struct CLIQueryOptionsTests {
    static let lines = """
        m,device=meter-001 power_w=1,voltage_v=230 1767225600
        m,device=meter-001 power_w=3,voltage_v=231 1767225660
        m,device=meter-002 power_w=2,current_a=0.5 1767225600
        m,device=meter-003 power_w=9 1767225600
        """

    func store() throws -> CLI {
        let cli = try CLI()
        #expect(try cli.run(["ingest", "--db", "db", "--precision", "s"], input: Self.lines).status == 0)
        return cli
    }

    @Test func severalDevicesAndCommaListsOfFields() throws {
        let cli = try store()
        defer { cli.cleanUp() }
        let result = try cli.run(["query", "--db", "db", "--device", "meter-002", "--device", "meter-001",
                                  "--field", "power_w,voltage_v", "--output", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(csvRows(result.stdout) == [
            ["device", "time", "power_w", "voltage_v"],
            ["meter-002", "2026-01-01T00:00:00.000000000Z", "2.0", ""],
            ["meter-001", "2026-01-01T00:00:00.000000000Z", "1.0", "230.0"],
            ["meter-001", "2026-01-01T00:01:00.000000000Z", "3.0", "231.0"],
        ])
        let repeated = try cli.run(["query", "--db", "db", "--device", "meter-001", "--field", "voltage_v",
                                    "--field", "power_w", "--agg", "1h", "--fn", "max", "--output", "csv"])
        #expect(csvRows(repeated.stdout) == [["device", "time", "voltage_v_max", "power_w_max"],
                                             ["meter-001", "2026-01-01T00:00:00.000000000Z", "231.0", "3.0"]])
        let downsampled = try cli.run(["query", "--db", "db", "--device", "meter-003", "--device", "meter-001",
                                       "--agg", "1d", "--fn", "count", "--field", "power_w", "--output", "csv"])
        #expect(csvRows(downsampled.stdout).dropFirst().map { $0[0] + "=" + $0[2] } == ["meter-003=1", "meter-001=2"])
        let last = try cli.run(["last", "--db", "db", "--device", "meter-003", "--device", "meter-002", "--output", "csv"])
        #expect(csvRows(last.stdout) == [["device", "time", "current_a", "power_w"],
                                         ["meter-003", "2026-01-01T00:00:00.000000000Z", "", "9.0"],
                                         ["meter-002", "2026-01-01T00:00:00.000000000Z", "0.5", "2.0"]])
    }

    @Test func unknownNamesExit66WithASuggestion() throws {
        let cli = try store()
        defer { cli.cleanUp() }
        let cases: [([String], String)] = [
            (["query", "--device", "meter-01"], "no device \"meter-01\" in db (did you mean \"meter-001\"?)"),
            (["query", "--device", "boiler"], "no device \"boiler\" in db"),
            (["query", "--device", "meter-001", "--field", "power"], "no field \"power\" in device \"meter-001\" (did you mean \"power_w\"?)"),
            (["query", "--all-devices", "--field", "power_w,voltage"], "no field \"voltage\" in the selected devices (did you mean \"voltage_v\"?)"),
            (["last", "--device", "meter-0001"], "no device \"meter-0001\" in db (did you mean \"meter-001\"?)"),
        ]
        for (args, message) in cases {
            let result = try cli.run(args + ["--db", "db"])
            #expect(result.status == 66, "\(args)")
            #expect(result.stderr == "chunkstore: \(message)\n", "\(args): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        #expect(!(try cli.run(["query", "--db", "db", "--device", "boiler"]).stderr.contains("did you mean")))
    }

    @Test func relativeTimesWordsAndReversedRanges() throws {
        let cli = try store()
        defer { cli.cleanUp() }
        for args in [["--from", "-1h"], ["--from=-1h"], ["--from", "-30m", "--to", "+1h"]] {
            let result = try cli.run(["query", "--db", "db", "--device", "meter-001", "--output", "csv"] + args)
            #expect(result.status == 0, "\(args): \(result.stderr)")
            #expect(csvRows(result.stdout).count == 1, "\(args): data from 2026 is older than an hour") // header only
        }
        let all = try cli.run(["query", "--db", "db", "--device", "meter-001", "--from", "-100000d", "--output", "csv"])
        #expect(csvRows(all.stdout).count == 3)
        let word = try cli.run(["query", "--db", "db", "--device", "meter-001", "--from", "yesterday"])
        #expect(word.status == 64)
        #expect(word.stderr.contains("now-1d"))
        let reversed = try cli.run(["query", "--db", "db", "--device", "meter-001", "--from", "2026-01-02", "--to", "2026-01-01"])
        #expect(reversed.status == 64)
        #expect(reversed.stderr.contains("--from (2026-01-02T00:00:00.000000000Z) is later than --to (2026-01-01T00:00:00.000000000Z)"))
        #expect(try cli.run(["query", "--db", "db", "--device", "meter-001", "--from", "2026-01-01", "--to", "2026-01-01"]).status == 0)
    }

    @Test func helpNamesEveryTimeForm() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let help = try cli.run(["query", "--help"]).stdout
        for form in ["2026-01-01 ", "1767225600s", "now-1w", "-1h", "1w", "--device ID (repeatable", "F1,F2", "exits 66"] {
            #expect(help.contains(form), "\(form)")
        }
    }

    @Test func devicesAsJSONHaveStructuredFields() throws {
        let cli = try store()
        defer { cli.cleanUp() }
        let result = try cli.run(["devices", "--db", "db", "--output", "json"])
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        let first = try #require(parsed?.first)
        #expect(first["device"] as? String == "meter-001")
        let fields = first["fields"] as? [[String: String]]
        #expect(fields == [["name": "power_w", "type": "float"], ["name": "voltage_v", "type": "float"]])
        let csv = try cli.run(["devices", "--db", "db", "--output", "csv"])
        #expect(csvRows(csv.stdout)[1][1] == "power_w:float voltage_v:float")
    }
}
