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

    /// A rule's condition as plain numbers, read on the hot path without touching (and so
    /// retaining) the rule's strings.
    struct Compiled: Sendable {
        /// Index into ``fieldNames`` of a threshold rule's field; -1 for stale rules.
        var field: Int
        /// The stale duration (ns), or 0 for threshold rules.
        var stale: Int64
        var above: Bool
        var threshold: Double
        var holdFor: Int64
        var isStale: Bool { field < 0 }

        @inline(__always)
        func breaches(_ value: Double) -> Bool { above ? value > threshold : value < threshold }
    }

    /// Per rule, its compiled condition.
    let compiled: [Compiled]
    /// The distinct fields threshold rules watch.
    let fieldNames: [String]
    /// Where each device seen has its state in `states`.
    var deviceIndex: [String: Int] = [:]
    /// Per device, in order of first sight (mutated in place: no copies on the hot path).
    var states: [DeviceState] = []
    var deviceNames: [String] = []
    /// The newest row timestamp evaluated (of any device with rules): the event clock
    /// stale rules are checked against while appending.
    public private(set) var newestTimestamp: Int64 = .min
    /// No stale rule can fire before this time (a lower bound of every waiting stale
    /// track's due time), so ``checkStale(now:into:)`` skips the scan before it.
    var staleDue: Int64 = .max
    /// Column of each of ``fieldNames`` in the rows being observed (reused scratch).
    private var columnOf: [Int]

    /// An engine with no state.
    public init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
        var fields: [String] = []
        compiled = ruleSet.rules.map { rule in
            switch rule.condition {
            case .stale(let limit):
                return Compiled(field: -1, stale: limit, above: false, threshold: 0, holdFor: 0)
            case .above(let t), .below(let t):
                let name = rule.field ?? ""
                let f = fields.firstIndex(of: name) ?? { fields.append(name); return fields.count - 1 }()
                if case .above = rule.condition {
                    return Compiled(field: f, stale: 0, above: true, threshold: t, holdFor: rule.holdFor)
                }
                return Compiled(field: f, stale: 0, above: false, threshold: t, holdFor: rule.holdFor)
            }
        }
        fieldNames = fields
        columnOf = Array(repeating: -1, count: fields.count)
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
        let newest = rows.timestamps.max() ?? .min
        newestTimestamp = max(newestTimestamp, newest)
        // The device's tracks and the column scratch are taken out of `self` while they
        // are worked on, so they stay uniquely referenced (no copies) and no access to
        // `self` overlaps.
        let rules = states[d].rules
        var tracks = states[d].tracks
        states[d].tracks = []
        var columnOf = self.columnOf
        self.columnOf = []
        // Each watched field's column, looked up once for all the rules reading it.
        for f in columnOf.indices { columnOf[f] = -2 }
        var due = staleDue
        for k in rules.indices {
            let rule = compiled[rules[k]]
            if rule.isStale {
                guard newest > tracks[k].lastTime else { continue }
                if tracks[k].firing {
                    events.append(AlertEvent(rule: ruleSet.rules[rules[k]].name, device: device, timestamp: newest, firing: false,
                                             severity: ruleSet.rules[rules[k]].severity, value: 0))
                    tracks[k].firing = false
                }
                tracks[k].lastTime = newest
                let (next, overflow) = newest.addingReportingOverflow(rule.stale)
                if !overflow { due = min(due, next) }
                continue
            }
            if columnOf[rule.field] == -2 { columnOf[rule.field] = rows.columnIndex(named: fieldNames[rule.field]) ?? -1 }
            let c = columnOf[rule.field]
            guard c >= 0 else { continue }
            evaluate(rules[k], rule, device, rows.timestamps, rows.columns[c], &tracks[k], &events)
        }
        staleDue = due
        states[d].tracks = tracks
        self.columnOf = columnOf
    }

    /// One threshold rule over one column's rows, advancing `track`.
    private func evaluate(_ r: Int, _ rule: Compiled, _ device: String, _ timestamps: [Int64], _ column: FieldColumn,
                          _ track: inout Track, _ events: inout [AlertEvent]) {
        let type = column.type
        timestamps.withUnsafeBufferPointer { timestamps in
            column.bits.withUnsafeBufferPointer { bits in
                for i in timestamps.indices where column.present[i] {
                    let t = timestamps[i]
                    guard t > track.lastTime else { continue }
                    track.lastTime = t
                    let v = type == .float ? Double(bitPattern: bits[i]) : FieldValue(type: type, bits: bits[i]).doubleValue
                    if rule.breaches(v) {
                        if !track.isPending { track.pendingSince = t }
                        if !track.firing, t - track.pendingSince >= rule.holdFor {
                            track.firing = true
                            track.value = v
                            events.append(AlertEvent(rule: ruleSet.rules[r].name, device: device, timestamp: t, firing: true,
                                                     severity: ruleSet.rules[r].severity, value: v))
                        }
                    } else {
                        track.pendingSince = .min
                        if track.firing {
                            track.firing = false
                            track.value = v
                            events.append(AlertEvent(rule: ruleSet.rules[r].name, device: device, timestamp: t, firing: false,
                                                     severity: ruleSet.rules[r].severity, value: v))
                        }
                    }
                }
            }
        }
    }

    /// Fires stale rules of every known device whose newest reading is at least the rule's
    /// duration before `now` (ns).
    public mutating func checkStale(now: Int64, into events: inout [AlertEvent]) {
        guard now >= staleDue else { return }
        var due = Int64.max
        for d in states.indices where !states[d].rules.isEmpty { checkStale(slot: d, now: now, into: &events, nextDue: &due) }
        staleDue = due
    }

    /// ``checkStale(now:into:)`` for one device.
    mutating func checkStale(device: String, now: Int64, into events: inout [AlertEvent]) {
        var ignored = Int64.max
        if let d = deviceIndex[device] { checkStale(slot: d, now: now, into: &events, nextDue: &ignored) }
    }

    /// Fires the device's due stale rules; lowers `nextDue` to the due time of each one still waiting.
    private mutating func checkStale(slot d: Int, now: Int64, into events: inout [AlertEvent], nextDue: inout Int64) {
        for k in states[d].rules.indices {
            let r = states[d].rules[k]
            let limit = compiled[r].stale
            guard compiled[r].isStale, !states[d].tracks[k].firing, states[d].tracks[k].lastTime != .min else { continue }
            let (due, overflow) = states[d].tracks[k].lastTime.addingReportingOverflow(limit)
            guard !overflow else { continue }
            guard now >= due else {
                nextDue = min(nextDue, due)
                continue
            }
            states[d].tracks[k].firing = true
            events.append(AlertEvent(rule: ruleSet.rules[r].name, device: deviceNames[d], timestamp: due, firing: true,
                                     severity: ruleSet.rules[r].severity, value: Double(limit) / 1e9))
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
