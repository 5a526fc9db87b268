import Foundation
import Testing

@Suite struct FleetCLITests {
    let rules = """
        {"rules": [
          {"name": "hot", "field": "p", "devices": "m*", "above": 100, "for": "2m", "severity": "critical"},
          {"name": "silent", "devices": "s*", "stale": "10m", "severity": "warning"}
        ]}
        """

    func line(_ device: String, _ minute: Int64, _ p: Double) -> String {
        "meter,device=\(device) p=\(p) \((t0 + minute * 60) * 1_000_000_000)\n"
    }

    @Test func rulesStateSurvivesAProcessRestart() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try rules.write(toFile: cli.path("rules.json"), atomically: true, encoding: .utf8)
        #expect(try cli.run(["ingest", "--db", "db"], input: line("x", 0, 1)).status == 0)
        let set = try cli.run(["rules", "set", "--db", "db", "rules.json"])
        #expect(set.status == 0, "\(set.stderr)")

        // First process: m1 breaches for one minute only; s1 reads once.
        let first = try cli.run(["ingest", "--db", "db"], input: line("m1", 0, 150) + line("m1", 1, 150) + line("s1", 0, 1))
        #expect(first.status == 0, "\(first.stderr)")
        // Second process: a late low row (ignored), then minute 2 completes the 2m hold.
        let second = try cli.run(["ingest", "--db", "db"], input: line("m1", 1, 10) + line("m1", 2, 170))
        #expect(second.status == 0, "\(second.stderr)")

        let alerts = try cli.run(["alerts", "--db", "db", "--output", "csv", "--epoch", "s"])
        #expect(alerts.status == 0, "\(alerts.stderr)")
        #expect(csvRows(alerts.stdout) == [
            ["time", "rule", "device", "state", "severity", "value"],
            ["\(t0 + 120)", "hot", "m1", "firing", "critical", "170.0"],
            ["\(t0 + 600)", "silent", "s1", "firing", "warning", "600.0"],
        ])
        // Third process resolves hot; only the stale alert stays active.
        #expect(try cli.run(["ingest", "--db", "db"], input: line("m1", 3, 20)).status == 0)
        let active = try cli.run(["alerts", "--db", "db", "--active", "--output", "csv"])
        #expect(csvRows(active.stdout).dropFirst().map { $0[1] } == ["silent"])
        // The alerts are an ordinary series.
        let series = try cli.run(["query", "--db", "db", "--device", "_alerts/hot/m1", "--output", "csv", "--epoch", "s"])
        #expect(csvRows(series.stdout).dropFirst().map { $0[1] } == ["\(t0 + 120)", "\(t0 + 180)"])

        // Replay sees stored history, where the late row replaced minute 1 (duplicate policy
        // last): the hold is broken there, so hot would not have fired; s1 goes stale by --to.
        let replay = try cli.run(["rules", "test", "--db", "db", "rules.json", "--to", "\(t0 + 3600)s", "--output", "csv", "--epoch", "s"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(csvRows(replay.stdout).dropFirst().map { [$0[0], $0[1], $0[3]] } == [["\(t0 + 600)", "silent", "firing"]])
    }

    @Test func rulesCheckNamesTheRuleAndField() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try #"{"rules": [{"name": "ok", "stale": "5m", "severity": "info"}, {"name": "bad", "field": "p", "above": 1, "for": "-5m", "severity": "info"}]}"#
            .write(toFile: cli.path("bad.json"), atomically: true, encoding: .utf8)
        let bad = try cli.run(["rules", "check", "bad.json"])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains(#"bad.json: rule 1 (bad) field "for""#), "\(bad.stderr)")
        let missing = try cli.run(["rules", "check", "nothing.json"])
        #expect(missing.status == 66)
        try rules.write(toFile: cli.path("good.json"), atomically: true, encoding: .utf8)
        let good = try cli.run(["rules", "check", "good.json"])
        #expect(good.status == 0 && good.stdout.contains("2 rule(s) OK"))
    }

    @Test func summaryAsJSONWithClusters() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        var input = ""
        for d in 0..<4 {
            for h in 0..<24 { input += line("m\(d)", Int64(h) * 60, d < 2 ? (h < 12 ? 10 : 1) : (h < 12 ? 1 : 10)) }
        }
        #expect(try cli.run(["ingest", "--db", "db"], input: input).status == 0)
        let summary = try cli.run(["summary", "--db", "db", "--field", "p", "--output", "json"])
        #expect(summary.status == 0, "\(summary.stderr)")
        let devices = try #require(try JSONSerialization.jsonObject(with: Data(summary.stdout.utf8)) as? [[String: Any]])
        #expect(devices.count == 4)
        #expect(devices[0]["rows"] as? Int == 24 && devices[0]["p_mean"] as? Double == 5.5 && devices[0]["p_p95"] as? Double == 10)
        let clusters = try cli.run(["summary", "--db", "db", "--field", "p", "--clusters", "2", "--output", "json"])
        let groups = try #require(try JSONSerialization.jsonObject(with: Data(clusters.stdout.utf8)) as? [[String: Any]])
        #expect(Set(groups.compactMap { $0["members"] as? String }) == ["m0 m1", "m2 m3"])
        #expect(try cli.run(["summary", "--db", "db", "--clusters", "0"]).status == 64)
        // Without percentiles and gaps: those columns are left out, the rest is the same.
        let lean = try cli.run(["summary", "--db", "db", "--field", "p", "--no-percentiles", "--no-gaps", "--output", "json"])
        #expect(lean.status == 0, "\(lean.stderr)")
        let leanDevices = try #require(try JSONSerialization.jsonObject(with: Data(lean.stdout.utf8)) as? [[String: Any]])
        #expect(leanDevices.count == 4)
        #expect(Set(leanDevices[0].keys) == ["device", "rows", "first", "last", "p_mean", "p_min", "p_max"])
        #expect(leanDevices[0]["rows"] as? Int == 24 && leanDevices[0]["p_mean"] as? Double == 5.5 && leanDevices[0]["p_max"] as? Double == 10)
    }
}
