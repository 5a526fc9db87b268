/// One rule of a rules file: a threshold on a field, or staleness of a device.
public struct AlertRule: Sendable, Equatable {
    /// What the rule watches.
    public enum Condition: Sendable, Equatable {
        /// The field's value is above the threshold (strictly).
        case above(Double)
        /// The field's value is below the threshold (strictly).
        case below(Double)
        /// The device sent no row for this many nanoseconds.
        case stale(Int64)
    }

    /// How urgent a firing alert is; stored as the alert row's `severity` field.
    public enum Severity: Int64, Sendable, CaseIterable, CustomStringConvertible {
        case info = 1, warning = 2, critical = 3
        /// `info`, `warning` or `critical`.
        public var description: String {
            switch self {
            case .info: "info"
            case .warning: "warning"
            case .critical: "critical"
            }
        }
    }

    /// Unique name, used in alert device ids (`_alerts/<name>/<device>`).
    public var name: String
    /// The field a threshold rule reads (nil for stale rules).
    public var field: String?
    /// Which devices the rule applies to.
    public var devices: DevicePattern
    /// The condition.
    public var condition: Condition
    /// How long (ns) a threshold condition must hold before the rule fires; 0 fires at once.
    public var holdFor: Int64
    /// Severity of its alerts.
    public var severity: Severity

    /// A rule from its parts (see ``RuleSet/parse(_:)`` for the checked file form).
    public init(name: String, field: String?, devices: DevicePattern, condition: Condition, holdFor: Int64 = 0,
                severity: Severity) {
        self.name = name
        self.field = field
        self.devices = devices
        self.condition = condition
        self.holdFor = holdFor
        self.severity = severity
    }

    /// Whether `value` breaks a threshold rule (always false for stale rules).
    func breaches(_ value: Double) -> Bool {
        switch condition {
        case .above(let t): value > t
        case .below(let t): value < t
        case .stale: false
        }
    }

    var isStale: Bool { if case .stale = condition { true } else { false } }
}
