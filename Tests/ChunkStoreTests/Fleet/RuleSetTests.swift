import Testing
@testable import ChunkStore

@Suite struct RuleSetTests {
    func parse(_ text: String) throws(RulesError) -> RuleSet { try RuleSet.parse(Array(text.utf8)) }

    @Test func parsesThresholdAndStaleRules() throws {
        let set = try parse("""
            {"rules": [
              {"name": "hot", "field": "temp_c", "devices": "meter-*", "above": 80, "for": "5m", "severity": "critical"},
              {"name": "low", "field": "v", "below": -1.5, "severity": "info"},
              {"name": "silent", "stale": "15m", "severity": "warning"}
            ]}
            """)
        #expect(set.rules.count == 3)
        #expect(set.rules[0] == AlertRule(name: "hot", field: "temp_c", devices: DevicePattern("meter-*"), condition: .above(80),
                                          holdFor: 300_000_000_000, severity: .critical))
        #expect(set.rules[1].condition == .below(-1.5) && set.rules[1].devices.text == "*" && set.rules[1].holdFor == 0)
        #expect(set.rules[2].condition == .stale(900_000_000_000) && set.rules[2].field == nil)
    }

    @Test(arguments: [
        (#"{"rules": [{"name": "a", "field": "x", "above": 1, "severity": "loud"}]}"#, #"rule 0 (a) field "severity""#),
        (#"{"rules": [{"name": "a", "field": "x", "above": 1, "severity": "info"}, {"name": "a", "field": "x", "above": 2, "severity": "info"}]}"#,
         #"rule 1 (a) field "name""#),
        (#"{"rules": [{"name": "a", "above": 1, "severity": "info"}]}"#, #"rule 0 (a) field "field""#),
        (#"{"rules": [{"name": "a", "field": "x", "above": 1, "below": 0, "severity": "info"}]}"#, #"rule 0 (a) field "above""#),
        (#"{"rules": [{"name": "a", "field": "x", "above": 1, "for": "soon", "severity": "info"}]}"#, #"rule 0 (a) field "for""#),
        (#"{"rules": [{"name": "a", "stale": "1mo", "severity": "info"}]}"#, #"rule 0 (a) field "stale""#),
        (#"{"rules": [{"name": "a", "stale": "5m", "field": "x", "severity": "info"}]}"#, #"rule 0 (a) field "field""#),
        (#"{"rules": [{"name": "a", "field": "x", "above": 1, "severity": "info", "threshold": 3}]}"#, #"rule 0 (a) field "threshold""#),
        (#"{"rules": [{"field": "x", "above": 1, "severity": "info"}]}"#, #"rule 0 field "name""#),
        (#"{"rules": [{"name": "a b", "field": "x", "above": 1, "severity": "info"}]}"#, #"rule 0 (a b) field "name""#),
        (#"{"rules": [{"name": "a", "field": "x", "above": 1, "severity": "info"},]}"#, "byte 71"),
        (#"{"alerts": []}"#, "file"),
    ])
    func errorsNameTheRuleAndField(text: String, location: String) {
        #expect(throws: RulesError.self) { try parse(text) }
        do { _ = try parse(text) } catch { #expect(error.location == location, "\(error)") }
    }
}
