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

    var devices: [String: DeviceState] = [:]

    /// An engine with no state.
    public init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
    }

    private mutating func slot(_ device: String) -> DeviceState? {
        if let known = devices[device] { return known.rules.isEmpty ? nil : known }
        let matching = device.hasPrefix(RuleSet.alertPrefix) ? [] : ruleSet.rules.indices.filter { ruleSet.rules[$0].devices.matches(device) }
        let state = DeviceState(rules: matching, tracks: Array(repeating: Track(), count: matching.count))
        devices[device] = state
        return matching.isEmpty ? nil : state
    }

    /// Evaluates one device's appended rows, in their order, appending the events they cause.
    mutating func observe(device: String, rows: ColumnarRows, into events: inout [AlertEvent]) {
        guard var state = slot(device) else { return }
        devices[device] = nil  // mutate in place without a second copy
        for k in state.rules.indices {
            let rule = ruleSet.rules[state.rules[k]]
            if rule.isStale {
                let newest = rows.timestamps.max() ?? .min
                if newest > state.tracks[k].lastTime {
                    if state.tracks[k].firing {
                        events.append(AlertEvent(rule: rule.name, device: device, timestamp: newest, firing: false,
                                                 severity: rule.severity, value: 0))
                        state.tracks[k].firing = false
                    }
                    state.tracks[k].lastTime = newest
                }
                continue
            }
            guard let field = rule.field, let c = rows.columnIndex(named: field) else { continue }
            let column = rows.columns[c]
            var track = state.tracks[k]
            for r in rows.timestamps.indices where column.present[r] {
                let t = rows.timestamps[r]
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
            state.tracks[k] = track
        }
        devices[device] = state
    }

    /// Fires stale rules of every known device whose newest reading is at least the rule's
    /// duration before `now` (ns).
    public mutating func checkStale(now: Int64, into events: inout [AlertEvent]) {
        for device in Array(devices.keys) { checkStale(device: device, now: now, into: &events) }
    }

    /// ``checkStale(now:into:)`` for one device.
    mutating func checkStale(device: String, now: Int64, into events: inout [AlertEvent]) {
        guard var state = devices[device] else { return }
        var changed = false
        for k in state.rules.indices {
            let rule = ruleSet.rules[state.rules[k]]
            guard case .stale(let limit) = rule.condition, !state.tracks[k].firing, state.tracks[k].lastTime != .min else { continue }
            let (due, overflow) = state.tracks[k].lastTime.addingReportingOverflow(limit)
            guard !overflow, now >= due else { continue }
            state.tracks[k].firing = true
            changed = true
            events.append(AlertEvent(rule: rule.name, device: device, timestamp: due, firing: true, severity: rule.severity,
                                     value: Double(limit) / 1e9))
        }
        if changed { devices[device] = state }
    }

    /// Alerts firing now: (rule, device) pairs, sorted.
    public var firing: [(rule: String, device: String)] {
        var out: [(rule: String, device: String)] = []
        for (device, state) in devices {
            for k in state.rules.indices where state.tracks[k].firing { out.append((ruleSet.rules[state.rules[k]].name, device)) }
        }
        return out.sorted { ($0.rule, $0.device) < ($1.rule, $1.device) }
    }
}
