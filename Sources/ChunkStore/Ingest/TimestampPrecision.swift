/// The unit of integer timestamps in the input, as in InfluxDB's `precision` parameter.
///
/// Stored timestamps are always nanoseconds; inputs from loggers are often seconds or
/// milliseconds, so parsers scale with ``nanoseconds(_:)``, which refuses to wrap.
package enum TimestampPrecision: String, CaseIterable, Sendable {
    case ns, us, ms, s

    /// Nanoseconds per unit.
    package var multiplier: Int64 {
        switch self {
        case .ns: 1
        case .us: 1_000
        case .ms: 1_000_000
        case .s: 1_000_000_000
        }
    }

    /// `value` in this unit converted to nanoseconds. Throws when the result does not
    /// fit in Int64 (outside about 1677-09-21 to 2262-04-11), since a wrapped timestamp
    /// would silently land data in the wrong century.
    package func nanoseconds(_ value: Int64) throws(TimeFormatError) -> Int64 {
        let (result, overflow) = value.multipliedReportingOverflow(by: multiplier)
        if overflow {
            throw TimeFormatError("timestamp \(value)\(rawValue) is out of range (years 1677 to 2262)")
        }
        return result
    }
}
