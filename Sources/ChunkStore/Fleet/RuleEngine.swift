/// Evaluates a ``RuleSet`` incrementally, row by row as rows are appended; it never reads
/// stored history.
///
/// Per rule and device it keeps the latest evaluated timestamp, whether the condition is
/// pending (holding, but not yet for the rule's `for`) and whether it fires.
/// - A threshold rule evaluates rows that carry its field, in arrival order. A row whose
///   timestamp is not after the latest one evaluated for that rule and device is *late*:
///   it is stored like any row but ignored for firing and resolving.
/// - While the condition holds since time P, the rule fires at the first row with
///   `t - P >= for`; the first row that does not breach resolves it (or clears pending).
/// - A stale rule tracks each matching device's newest timestamp L; ``checkStale(now:into:)``
///   fires it once `now >= L + stale` (event time `L + stale`); any newer row resolves it.
///   The writer checks against the event clock (``newestTimestamp``) while appending, so a
///   backlog loaded in time order does not look stale, and against the wall clock too at flush.
/// Devices under `_alerts/` are never evaluated, so alert rows cannot raise alerts.
public struct RuleEngine: Sendable {
    /// The rules evaluated.
    public let ruleSet: RuleSet

    /// The state of one rule for one device.
    struct Track: Sendable, Equatable {
        var lastTime: Int64 = .min
        var pendingSince: Int64 = .min
        var firing = false
        var value: Double = 0
        var isPending: Bool { pendingSince != .min }
    }

    /// One device's matching rules (indices into `ruleSet.rules`) and their tracks.
    struct DeviceState: Sendable {
        var rules: [Int]
        var tracks: [Track]
    }

    /// Where each device seen has its state in `states`.
    var deviceIndex: [String: Int] = [:]
    /// Per device, in order of first sight (mutated in place: no copies on the hot path).
    var states: [DeviceState] = []
    var deviceNames: [String] = []
    /// The newest row timestamp evaluated (of any device with rules): the event clock
    /// stale rules are checked against while appending.
    public private(set) var newestTimestamp: Int64 = .min

    /// An engine with no state.
    public init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
    }

    /// The slot of `device`, created on first sight with the rules matching it.
    mutating func slot(_ device: String) -> Int {
        if let known = deviceIndex[device] { return known }
        let matching = device.hasPrefix(RuleSet.alertPrefix) ? [] : ruleSet.rules.indices.filter { ruleSet.rules[$0].devices.matches(device) }
        states.append(DeviceState(rules: matching, tracks: Array(repeating: Track(), count: matching.count)))
        deviceNames.append(device)
        deviceIndex[device] = states.count - 1
        return states.count - 1
    }

    /// Evaluates one device's appended rows, in their order, appending the events they cause.
    mutating func observe(device: String, rows: ColumnarRows, into events: inout [AlertEvent]) {
        let d = slot(device)
        guard !states[d].rules.isEmpty else { return }
        var newest: Int64?
        defer { if let newest { newestTimestamp = max(newestTimestamp, newest) } else if let m = rows.timestamps.max() { newestTimestamp = max(newestTimestamp, m) } }
        // The rules are read in place (no copy of each rule, and of its strings, per row group).
        ruleSet.rules.withUnsafeBufferPointer { rules in
            for k in states[d].rules.indices {
                let r = states[d].rules[k]
                if rules[r].isStale {
                    let latest = newest ?? (rows.timestamps.max() ?? .min)
                    newest = latest
                    if latest > states[d].tracks[k].lastTime {
                        if states[d].tracks[k].firing {
                            events.append(AlertEvent(rule: rules[r].name, device: device, timestamp: latest, firing: false,
                                                     severity: rules[r].severity, value: 0))
                            states[d].tracks[k].firing = false
                        }
                        states[d].tracks[k].lastTime = latest
                    }
                    continue
                }
                guard let field = rules[r].field, let c = rows.columnIndex(named: field) else { continue }
                Self.evaluate(rules[r], device, rows.timestamps, rows.columns[c], &states[d].tracks[k], &events)
            }
        }
    }

    /// One threshold rule over one column's rows, advancing `track`.
    private static func evaluate(_ rule: AlertRule, _ device: String, _ timestamps: [Int64], _ column: FieldColumn,
                                 _ track: inout Track, _ events: inout [AlertEvent]) {
        for r in timestamps.indices where column.present[r] {
            let t = timestamps[r]
            guard t > track.lastTime else { continue }
            track.lastTime = t
            let v = FieldValue(type: column.type, bits: column.bits[r]).doubleValue
            if rule.breaches(v) {
                if !track.isPending { track.pendingSince = t }
                if !track.firing, t - track.pendingSince >= rule.holdFor {
                    track.firing = true
                    track.value = v
                    events.append(AlertEvent(rule: rule.name, device: device, timestamp: t, firing: true, severity: rule.severity, value: v))
                }
            } else {
                track.pendingSince = .min
                if track.firing {
                    track.firing = false
                    track.value = v
                    events.append(AlertEvent(rule: rule.name, device: device, timestamp: t, firing: false, severity: rule.severity, value: v))
                }
            }
        }
    }

    /// Fires stale rules of every known device whose newest reading is at least the rule's
    /// duration before `now` (ns).
    public mutating func checkStale(now: Int64, into events: inout [AlertEvent]) {
        for d in states.indices where !states[d].rules.isEmpty { checkStale(slot: d, now: now, into: &events) }
    }

    /// ``checkStale(now:into:)`` for one device.
    mutating func checkStale(device: String, now: Int64, into events: inout [AlertEvent]) {
        if let d = deviceIndex[device] { checkStale(slot: d, now: now, into: &events) }
    }

    private mutating func checkStale(slot d: Int, now: Int64, into events: inout [AlertEvent]) {
        for k in states[d].rules.indices {
            let rule = ruleSet.rules[states[d].rules[k]]
            guard case .stale(let limit) = rule.condition, !states[d].tracks[k].firing, states[d].tracks[k].lastTime != .min else { continue }
            let (due, overflow) = states[d].tracks[k].lastTime.addingReportingOverflow(limit)
            guard !overflow, now >= due else { continue }
            states[d].tracks[k].firing = true
            events.append(AlertEvent(rule: rule.name, device: deviceNames[d], timestamp: due, firing: true, severity: rule.severity,
                                     value: Double(limit) / 1e9))
        }
    }

    /// Alerts firing now: (rule, device) pairs, sorted.
    public var firing: [(rule: String, device: String)] {
        var out: [(rule: String, device: String)] = []
        for (d, state) in states.enumerated() {
            for k in state.rules.indices where state.tracks[k].firing { out.append((ruleSet.rules[state.rules[k]].name, deviceNames[d])) }
        }
        return out.sorted { ($0.rule, $0.device) < ($1.rule, $1.device) }
    }
}
