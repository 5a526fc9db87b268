/// A rule starting or stopping to fire for one device, stored as a row of the series
/// `_alerts/<rule>/<device>` with fields `state` (int: 1 firing, 0 resolved),
/// `severity` (int: 1 info, 2 warning, 3 critical) and `value` (float: the reading that
/// crossed the threshold, or for stale rules the seconds without a reading).
public struct AlertEvent: Sendable, Equatable {
    /// The rule's name.
    public var rule: String
    /// The device the rule fired for.
    public var device: String
    /// Event time (ns): the row that fired or resolved it; for stale rules the last
    /// reading plus the stale duration.
    public var timestamp: Int64
    /// True when the alert starts firing, false when it resolves.
    public var firing: Bool
    /// The rule's severity.
    public var severity: AlertRule.Severity
    /// See the type's documentation.
    public var value: Double

    /// An event from its parts.
    public init(rule: String, device: String, timestamp: Int64, firing: Bool, severity: AlertRule.Severity, value: Double) {
        self.rule = rule
        self.device = device
        self.timestamp = timestamp
        self.firing = firing
        self.severity = severity
        self.value = value
    }

    /// The alert series' device id.
    public var seriesDevice: String { RuleSet.alertPrefix + rule + "/" + device }

    /// The row stored for this event.
    public var row: Row {
        Row(device: seriesDevice, timestamp: timestamp,
            fields: ["state": .int(firing ? 1 : 0), "severity": .int(severity.rawValue), "value": .float(value)])
    }

    /// Rebuilds an event from a stored alert row; nil when the device is not an alert series.
    init?(seriesDevice: String, timestamp: Int64, state: FieldValue?, severity: FieldValue?, value: FieldValue?) {
        guard seriesDevice.hasPrefix(RuleSet.alertPrefix) else { return nil }
        let rest = seriesDevice.dropFirst(RuleSet.alertPrefix.count)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        self.rule = String(rest[..<slash])
        self.device = String(rest[rest.index(after: slash)...])
        self.timestamp = timestamp
        self.firing = (state?.doubleValue ?? 0) != 0
        self.severity = AlertRule.Severity(rawValue: Int64(severity?.doubleValue ?? 1)) ?? .info
        self.value = value?.doubleValue ?? .nan
    }
}
