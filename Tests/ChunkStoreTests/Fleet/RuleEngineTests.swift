import Testing
@testable import ChunkStore

@Suite struct RuleEngineTests {
    static let minute: Int64 = 60_000_000_000
    let hot = AlertRule(name: "hot", field: "p", devices: DevicePattern("m*"), condition: .above(100), holdFor: 2 * minute, severity: .critical)
    let silent = AlertRule(name: "silent", field: nil, devices: DevicePattern("*"), condition: .stale(10 * minute), severity: .warning)

    func rows(_ points: [(minutes: Int64, value: Double)]) -> ColumnarRows {
        let present = Bitmap(count: points.count, value: true)
        return ColumnarRows(timestamps: points.map { $0.minutes * Self.minute },
                            columns: [FieldColumn(name: "p", type: .float, bits: points.map { $0.value.bitPattern }, present: present)])
    }

    func feed(_ engine: inout RuleEngine, _ device: String, _ points: [(minutes: Int64, value: Double)]) -> [AlertEvent] {
        var events: [AlertEvent] = []
        engine.observe(device: device, rows: rows(points), into: &events)
        return events
    }

    @Test func forDurationNeedsTheConditionToHold() {
        var engine = RuleEngine(ruleSet: RuleSet(rules: [hot]))
        // A one-minute spike does not fire.
        #expect(feed(&engine, "m1", [(0, 150), (1, 50)]).isEmpty)
        // Holding from minute 2: fires at minute 4, resolves at minute 5.
        let events = feed(&engine, "m1", [(2, 120), (3, 130), (4, 140), (5, 90)])
        #expect(events == [
            AlertEvent(rule: "hot", device: "m1", timestamp: 4 * Self.minute, firing: true, severity: .critical, value: 140),
            AlertEvent(rule: "hot", device: "m1", timestamp: 5 * Self.minute, firing: false, severity: .critical, value: 90),
        ])
        // Devices the pattern does not match, and alert series, are not evaluated.
        #expect(feed(&engine, "pump", [(0, 500), (9, 500)]).isEmpty)
        #expect(feed(&engine, "_alerts/hot/m1", [(0, 500), (9, 500)]).isEmpty)
    }

    @Test func lateRowsAreIgnoredForFiringAndResolving() {
        var engine = RuleEngine(ruleSet: RuleSet(rules: [AlertRule(name: "hot", field: "p", devices: DevicePattern("*"),
                                                                  condition: .above(100), severity: .info)]))
        #expect(feed(&engine, "m1", [(10, 150)]).count == 1)
        // A late low reading does not resolve; a late high one after resolution does not fire.
        #expect(feed(&engine, "m1", [(5, 10)]).isEmpty)
        #expect(feed(&engine, "m1", [(11, 10)]).map(\.firing) == [false])
        #expect(feed(&engine, "m1", [(7, 500), (11, 500)]).isEmpty)
        #expect(feed(&engine, "m1", [(12, 500)]).map(\.firing) == [true])
    }

    @Test func staleRulesFireAfterSilenceAndResolveOnNewRows() {
        var engine = RuleEngine(ruleSet: RuleSet(rules: [silent]))
        _ = feed(&engine, "m1", [(0, 1), (3, 1)])
        var events: [AlertEvent] = []
        engine.checkStale(now: 12 * Self.minute, into: &events)
        #expect(events.isEmpty)
        engine.checkStale(now: 13 * Self.minute, into: &events)
        #expect(events == [AlertEvent(rule: "silent", device: "m1", timestamp: 13 * Self.minute, firing: true, severity: .warning, value: 600)])
        engine.checkStale(now: 20 * Self.minute, into: &events)
        #expect(events.count == 1)  // fires once
        #expect(feed(&engine, "m1", [(21, 1)]).map(\.firing) == [false])
    }

    /// The stale checks skip their scan until the earliest time a rule can fire: they must
    /// raise exactly what a full scan at every check raises (devices going silent, coming
    /// back, appearing late; a restored state).
    @Test func skippedStaleScansMissNothing() throws {
        let rules = [silent, AlertRule(name: "quiet", field: nil, devices: DevicePattern("m*"), condition: .stale(3 * Self.minute), severity: .info)]
        var fast = RuleEngine(ruleSet: RuleSet(rules: rules))
        var full = RuleEngine(ruleSet: RuleSet(rules: rules))
        var random = SeededRandom(seed: 1415)
        var now: Int64 = 0
        var fastEvents: [AlertEvent] = [], fullEvents: [AlertEvent] = [], allEvents: [AlertEvent] = []
        for step in 0..<400 {
            now += Int64(Int.random(in: 0..<90, using: &random)) * Self.minute / 60
            if Int.random(in: 0..<3, using: &random) > 0 {
                let device = ["m1", "m2", "m3", "pump", "m\(step / 50)"][Int.random(in: 0..<5, using: &random)]
                let rows = rows([(minutes: now / Self.minute, value: 1)])
                fast.observe(device: device, rows: rows, into: &fastEvents)
                full.observe(device: device, rows: rows, into: &fullEvents)
            }
            if step == 200 {
                var restored = RuleEngine(ruleSet: RuleSet(rules: rules))
                try RuleStateFile.decode(RuleStateFile.encode(fast), path: "rules.state", into: &restored)
                fast = restored
            }
            full.staleDue = .min
            fast.checkStale(now: now, into: &fastEvents)
            full.checkStale(now: now, into: &fullEvents)
            // A restored engine meets devices in another order: compare each step's events as a set.
            let key = { (e: AlertEvent) in "\(e.rule) \(e.device) \(e.timestamp) \(e.firing)" }
            #expect(fastEvents.map(key).sorted() == fullEvents.map(key).sorted(), "step \(step)")
            allEvents += fullEvents
            fastEvents = []
            fullEvents = []
        }
        #expect(allEvents.filter(\.firing).count > 10 && allEvents.contains { !$0.firing })
    }

    @Test func stateRoundTripsThroughTheStateFile() throws {
        let set = RuleSet(rules: [hot, silent])
        var engine = RuleEngine(ruleSet: set)
        _ = feed(&engine, "m1", [(0, 150), (1, 150)])
        _ = feed(&engine, "m2", [(0, 150), (2, 150)])
        let bytes = RuleStateFile.encode(engine)
        var restored = RuleEngine(ruleSet: set)
        try RuleStateFile.decode(bytes, path: "rules.state", into: &restored)
        #expect(RuleStateFile.encode(restored) == bytes)
        #expect(restored.firing.map(\.device) == ["m2"])
        // m1 was pending since minute 0: minute 2 fires it in the restored engine too.
        #expect(feed(&restored, "m1", [(2, 150)]).map(\.firing) == [true])
        // A damaged byte is reported, not trusted.
        var damaged = bytes
        damaged[20] ^= 1
        var fresh = RuleEngine(ruleSet: set)
        #expect(throws: StoreError.self) { try RuleStateFile.decode(damaged, path: "rules.state", into: &fresh) }
    }

    @Test func specWorkedExample() {
        var engine = RuleEngine(ruleSet: RuleSet(rules: [AlertRule(name: "hot", field: "p", devices: DevicePattern("*"),
                                                                  condition: .above(100), holdFor: 5 * Self.minute, severity: .info)]))
        engine.restore(rule: 0, device: "m1", track: .init(lastTime: Self.minute, pendingSince: 0, firing: true, value: 150))
        let bytes = RuleStateFile.encode(engine)
        let hex = "43 53 52 53 01 00 00 00 01 00 00 00 03 00 68 6f 74 02 00 6d 31 03 "
            + "00 58 47 f8 0d 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 c0 62 40"
        #expect(bytes.count == 50)
        #expect(bytes.prefix(46).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined(separator: " ") == hex)
        #expect(Array(bytes.suffix(4)) == withUnsafeBytes(of: CRC32C.checksum(Array(bytes.prefix(46))).littleEndian) { Array($0) })
    }
}
