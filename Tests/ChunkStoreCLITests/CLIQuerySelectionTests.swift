import Foundation
import Testing

/// `query` and `last` selection: several devices, comma field lists, unknown names
/// (exit 66 with "did you mean"), and `devices --output json`'s structured fields.
@Suite struct CLIQuerySelectionTests {
    /// Devices meter-001 and meter-002 with power_w and voltage_v, and meter-003 with
    /// energy_kwh only; three readings each, a minute apart from 2026-01-01T00:00:00Z.
    static func store(_ cli: CLI) throws {
        var lines: [String] = []
        for i in 0..<3 {
            let ts = (t0 + Int64(i) * 60) * 1_000_000_000
            lines.append("m,device=meter-001 power_w=\(i).5,voltage_v=23\(i)i \(ts)")
            lines.append("m,device=meter-002 power_w=1\(i).5,voltage_v=24\(i)i \(ts)")
            lines.append("m,device=meter-003 energy_kwh=\(i).25 \(ts)")
        }
        let result = try cli.run(["ingest", "--db", "db"], input: lines.joined(separator: "\n") + "\n")
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func severalDevicesAndCommaFieldLists() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try Self.store(cli)
        let query = try cli.run(["query", "--db", "db", "--device", "meter-002", "--device", "meter-001",
                                 "--field", "voltage_v,power_w", "--output", "csv", "--epoch", "s"])
        #expect(query.status == 0, "\(query.stderr)")
        #expect(csvRows(query.stdout) == [["device", "time", "voltage_v", "power_w"]]
            + (0..<3).map { ["meter-002", "\(t0 + Int64($0) * 60)", "24\($0)", "1\($0).5"] }
            + (0..<3).map { ["meter-001", "\(t0 + Int64($0) * 60)", "23\($0)", "\($0).5"] })
        // Repeated --field options and a list mixed: the same columns, duplicates dropped.
        let repeated = try cli.run(["query", "--db", "db", "--device", "meter-001", "--field", "voltage_v",
                                    "--field", "power_w,voltage_v", "--output", "csv", "--epoch", "s"])
        #expect(csvRows(repeated.stdout).first == ["device", "time", "voltage_v", "power_w"])
        #expect(csvRows(repeated.stdout).count == 4)
        let downsampled = try cli.run(["query", "--db", "db", "--device", "meter-002", "--device", "meter-001",
                                       "--field", "power_w", "--agg", "1h", "--fn", "max", "--output", "csv", "--epoch", "s"])
        #expect(csvRows(downsampled.stdout) == [
            ["device", "time", "power_w_max"], ["meter-002", "\(t0)", "12.5"], ["meter-001", "\(t0)", "2.5"],
        ])
        let last = try cli.run(["last", "--db", "db", "--device", "meter-003", "--device", "meter-001",
                                "--output", "csv", "--epoch", "s"])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(csvRows(last.stdout).dropFirst().map { [$0[0], $0[1]] } == [["meter-003", "\(t0 + 120)"], ["meter-001", "\(t0 + 120)"]])
    }

    @Test func unknownDeviceOrFieldExits66WithSuggestion() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try Self.store(cli)
        let cases: [(args: [String], messages: [String])] = [
            (["query", "--device", "meter-01"], [#"no device "meter-01""#, #"did you mean "meter-001"?"#]),
            (["query", "--device", "meter-001", "--field", "power_v"], [#"no field "power_v""#, #"did you mean "power_w"?"#]),
            (["query", "--all-devices", "--field", "Energy_kwh"], [#"no field "Energy_kwh""#, #"did you mean "energy_kwh"?"#]),
            (["query", "--device", "meter-001", "--field", "energy_kwh"], [#"no field "energy_kwh""#]),
            (["query", "--device", "pump-7", "--agg", "1h"], [#"no device "pump-7""#]),
            (["last", "--device", "meter-002", "--device", "meterr-003"], [#"no device "meterr-003""#, #"did you mean "meter-003"?"#]),
        ]
        for (args, messages) in cases {
            let result = try cli.run(args + ["--db", "db", "--output", "csv"])
            #expect(result.status == 66, "\(args): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(args)")
            for message in messages { #expect(result.stderr.contains(message), "\(args): \(result.stderr)") }
        }
        // No suggestion when nothing stored is close.
        let far = try cli.run(["query", "--db", "db", "--device", "pump-7"])
        #expect(!far.stderr.contains("did you mean"), "\(far.stderr)")
    }

    @Test func devicesJSONHasStructuredFields() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try Self.store(cli)
        let result = try cli.run(["devices", "--db", "db", "--output", "json", "--epoch", "s"])
        #expect(result.status == 0, "\(result.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        let fields = parsed?.first?["fields"] as? [[String: String]]
        #expect(fields == [["name": "power_w", "type": "float"], ["name": "voltage_v", "type": "int"]])
        #expect(parsed?.last?["fields"] as? [[String: String]] == [["name": "energy_kwh", "type": "float"]])
        // Text formats keep NAME:TYPE pairs.
        let csv = try cli.run(["devices", "--db", "db", "--output", "csv"])
        #expect(csvRows(csv.stdout).dropFirst().first?[1] == "power_w:float voltage_v:int")
    }
}
