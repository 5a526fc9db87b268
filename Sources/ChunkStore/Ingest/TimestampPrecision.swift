/// The unit of integer timestamps in the input, as in InfluxDB's `precision` parameter,
/// plus ``auto``, which infers the unit of each timestamp from its magnitude.
///
/// Stored timestamps are always nanoseconds; inputs from loggers are often seconds or
/// milliseconds, so parsers scale with ``nanoseconds(_:)``, which refuses to wrap.
public enum TimestampPrecision: String, CaseIterable, Sendable {
    case ns, us, ms, s
    /// Infers the unit from the magnitude of each timestamp: |t| < 10^11 is seconds,
    /// < 10^14 milliseconds, < 10^17 microseconds, otherwise nanoseconds. Present-day
    /// instants in every unit fall far from these bounds (2026 is about 1.8·10^9 s,
    /// 1.8·10^12 ms, 1.8·10^15 µs and 1.8·10^18 ns), so seconds are never stored as
    /// nanoseconds by accident.
    case auto

    /// The fixed units, without ``auto``.
    package static let fixedUnits: [TimestampPrecision] = [.ns, .us, .ms, .s]

    /// The unit `value` is read in: `self`, or for ``auto`` the unit its magnitude implies.
    @inline(__always)
    package func unit(for value: Int64) -> TimestampPrecision {
        guard self == .auto else { return self }
        let m = value.magnitude
        if m < 100_000_000_000 { return .s }
        if m < 100_000_000_000_000 { return .ms }
        if m < 100_000_000_000_000_000 { return .us }
        return .ns
    }

    /// Nanoseconds per unit of `value` (see ``unit(for:)``).
    @inline(__always)
    package func multiplier(for value: Int64) -> Int64 {
        switch unit(for: value) {
        case .ns, .auto: 1
        case .us: 1_000
        case .ms: 1_000_000
        case .s: 1_000_000_000
        }
    }

    /// `value` in this unit converted to nanoseconds. Throws when the result does not
    /// fit in Int64 (outside about 1677-09-21 to 2262-04-11), since a wrapped timestamp
    /// would silently land data in the wrong century.
    package func nanoseconds(_ value: Int64) throws(TimeFormatError) -> Int64 {
        let unit = unit(for: value)
        let (result, overflow) = value.multipliedReportingOverflow(by: multiplier(for: value))
        if overflow {
            let how = self == .auto
                ? " (--precision auto read it as \(unit.rawValue) from its magnitude; pass --precision to choose the unit)"
                : ""
            throw TimeFormatError("timestamp \(value)\(unit.rawValue) is out of range (years 1677 to 2262)\(how)")
        }
        return result
    }
}
