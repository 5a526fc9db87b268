import Testing
@testable import ChunkStore

@Suite struct StoreRulesTests {
    static let minute: Int64 = 60_000_000_000
    let rulesText = #"{"rules": [{"name": "hot", "field": "p", "devices": "m*", "above": 100, "for": "2m", "severity": "critical"}]}"#

    func row(_ device: String, _ minutes: Int64, _ p: Double) -> Row {
        Row(device: device, timestamp: minutes * Self.minute, fields: ["p": .float(p)])
    }

    @Test func alertsAreStoredAsTheirOwnSeriesAndStateSurvivesReopening() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.child("store")
        try Store.open(at: path).close()
        _ = try Store.setRules(Array(rulesText.utf8), store: path)

        let store = try Store.open(at: path)
        try store.append([row("m1", 0, 150), row("m1", 1, 150), row("pump", 0, 900)])
        #expect(try store.alerts().isEmpty)
        try store.close()

        // Reopened: m1 has been pending since minute 0, so minute 2 fires; a late low row is ignored.
        let again = try Store.open(at: path)
        try again.append([row("m1", 2, 160)])
        try again.append([row("m1", 1, 10)])
        try again.append([row("m1", 3, 50)])
        let events = try again.alerts()
        #expect(events == [
            AlertEvent(rule: "hot", device: "m1", timestamp: 2 * Self.minute, firing: true, severity: .critical, value: 160),
            AlertEvent(rule: "hot", device: "m1", timestamp: 3 * Self.minute, firing: false, severity: .critical, value: 50),
        ])
        #expect(try again.alerts(activeOnly: true).isEmpty)
        // An ordinary series: queried like any data, and never evaluated itself.
        let series = try again.range(device: "_alerts/hot/m1")
        #expect(series.timestamps == [2 * Self.minute, 3 * Self.minute])
        #expect(series.fieldNames == ["severity", "state", "value"])
        #expect(series.values[1] == [.int(1), .int(0)])
        try again.close()
        let reader = try Store.openReader(at: path)
        #expect(try reader.alerts(since: 3 * Self.minute).map(\.firing) == [false])
    }

    @Test func replayMatchesLiveEvaluation() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.child("store")
        let store = try Store.open(at: path)
        let values: [Double] = [10, 120, 130, 140, 90, 200, 210, 220, 230, 5]
        try store.append(values.enumerated().map { row("m1", Int64($0.offset), $0.element) })
        try store.close()
        let set = try RuleSet.parse(Array(rulesText.utf8))
        let replayed = try Store.openReader(at: path).replayRules(set)
        #expect(replayed.map(\.timestamp) == [3, 4, 7, 9].map { $0 * Self.minute })
        #expect(replayed.map(\.firing) == [true, false, true, false])
        #expect(try Store.openReader(at: path).replayRules(set, from: 5 * Self.minute).map(\.timestamp) == [7 * Self.minute, 9 * Self.minute])
    }

    @Test func aBadRulesFileIsRefusedAndNothingIsStored() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.child("store")
        try Store.open(at: path).close()
        #expect(throws: RulesError.self) { try Store.setRules(Array(#"{"rules": [{"name": "x"}]}"#.utf8), store: path) }
        #expect(!PosixFileSystem().exists(path + "/rules.json"))
    }

    @Test func aDamagedStateFileIsReportedNotTrusted() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.child("store")
        try Store.open(at: path).close()
        _ = try Store.setRules(Array(rulesText.utf8), store: path)
        let store = try Store.open(at: path)
        try store.append([row("m1", 0, 150)])
        try store.close()
        let fs = PosixFileSystem()
        var bytes = try fs.readAll(path + "/rules.state")
        bytes[bytes.count / 2] ^= 0x40
        try fs.writeAtomically(path + "/rules.state", bytes, directory: path)
        #expect(throws: StoreError.corrupt(path: path + "/rules.state", offset: bytes.count - 4, reason: "rules state checksum mismatch")) {
            try Store.open(at: path)
        }
        // Deleting it starts the rules afresh; the data is untouched.
        try fs.remove(path + "/rules.state")
        let again = try Store.open(at: path)
        #expect(try again.range(device: "m1").count == 1)
        try again.close()
    }

    @Test func staleRulesFollowTheEventClockWhileAppending() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.child("store")
        try Store.open(at: path).close()
        _ = try Store.setRules(Array(#"{"rules": [{"name": "silent", "stale": "10m", "severity": "warning"}]}"#.utf8), store: path)
        let store = try Store.open(at: path)
        // A backlog in time order: nobody is stale while every device keeps up.
        for minute in Int64(0)..<8 { try store.append([row("a", minute, 1), row("b", minute, 1)]) }
        #expect(try store.alerts().isEmpty)
        // b falls silent after minute 7; a goes on to minute 20: b is stale from minute 17.
        for minute in Int64(8)...20 { try store.append([row("a", minute, 1)]) }
        #expect(try store.alerts() == [AlertEvent(rule: "silent", device: "b", timestamp: 17 * Self.minute, firing: true,
                                                  severity: .warning, value: 600)])
        try store.append([row("b", 21, 1)])
        #expect(try store.alerts(activeOnly: true).isEmpty)
        try store.close()
    }
}
