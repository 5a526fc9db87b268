/// Integer calendar arithmetic on nanosecond timestamps (UTC, proleptic Gregorian).
///
/// Downsampling needs day and month boundaries for any `Int64` timestamp, including
/// those before 1970, and must never round through floating point or depend on the
/// host's time zone. The day/civil conversions follow Howard Hinnant's
/// `days_from_civil` / `civil_from_days` algorithms (400-year eras of 146 097 days,
/// years counted from March so the leap day falls at the end).
///
/// Results that would leave the `Int64` nanosecond range saturate to `Int64.min` or
/// `Int64.max` instead of trapping: a bucket that starts before 1677-09-21T00:12:43Z
/// is reported as starting at `Int64.min`.
enum CivilTime {
    /// Nanoseconds in one UTC day (leap seconds do not exist in Unix time).
    static let nanosPerDay: Int64 = 86_400_000_000_000

    /// Years are clamped to this magnitude so the era arithmetic cannot overflow;
    /// nanosecond timestamps only span 1677...2262, so no real input comes close.
    private static let yearLimit: Int64 = 1 << 32
    /// Day numbers are clamped to this magnitude for the same reason.
    private static let dayLimit: Int64 = 1 << 40

    // MARK: Integer helpers

    /// `a / b` rounded toward negative infinity (`b > 0`), so that -1 ns lies in day -1.
    @inline(__always)
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b < 0) ? q - 1 : q
    }

    /// The non-negative remainder matching ``floorDiv(_:_:)`` (`b > 0`).
    @inline(__always)
    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
        let r = a % b
        return r < 0 ? r + b : r
    }

    /// `a * b`, clamped to the `Int64` range instead of trapping.
    @inline(__always)
    static func saturatingMultiply(_ a: Int64, _ b: Int64) -> Int64 {
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        if !overflow { return p }
        return (a < 0) != (b < 0) ? .min : .max
    }

    /// `a + b`, clamped to the `Int64` range instead of trapping.
    @inline(__always)
    static func saturatingAdd(_ a: Int64, _ b: Int64) -> Int64 {
        let (s, overflow) = a.addingReportingOverflow(b)
        if !overflow { return s }
        return b < 0 ? .min : .max
    }

    // MARK: Days

    /// The UTC day containing `ns`, counted from 1970-01-01 (day 0); floor division,
    /// so 1969-12-31T23:59:59.999999999Z is day -1.
    static func dayNumber(ofNanos ns: Int64) -> Int64 {
        floorDiv(ns, nanosPerDay)
    }

    /// UTC midnight at or before `ns` (saturating at `Int64.min` for the first partial day).
    static func startOfDay(ofNanos ns: Int64) -> Int64 {
        saturatingMultiply(dayNumber(ofNanos: ns), nanosPerDay)
    }

    /// The calendar date of a day number (Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = min(max(days, -dayLimit), dayLimit) + 719_468 // shift the epoch to 0000-03-01
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097                                          // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365     // [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)                    // [0, 365]
        let mp = (5 * doy + 2) / 153                                         // [0, 11], March = 0
        let day = doy - (153 * mp + 2) / 5 + 1                               // [1, 31]
        let month = mp < 10 ? mp + 3 : mp - 9                                // [1, 12]
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, Int(month), Int(day))
    }

    /// The day number of a calendar date (Hinnant's `days_from_civil`).
    /// `month` must be 1...12 and `day` 1...31; out-of-range days roll over linearly.
    static func days(fromCivil year: Int64, month: Int, day: Int) -> Int64 {
        let m = Int64(min(max(month, 1), 12))
        let d = Int64(min(max(day, -1 << 20), 1 << 20))
        let y = min(max(year, -yearLimit), yearLimit) - (m <= 2 ? 1 : 0)
        let era = floorDiv(y, 400)
        let yoe = y - era * 400                                              // [0, 399]
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1            // [0, 365]
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy                      // [0, 146096]
        return era * 146_097 + doe - 719_468
    }

    // MARK: Months

    /// Months since 1970-01 of the UTC month containing `ns` (1969-12 is -1).
    static func monthIndex(ofNanos ns: Int64) -> Int64 {
        let (year, month, _) = civil(fromDays: dayNumber(ofNanos: ns))
        return (year - 1970) * 12 + Int64(month - 1)
    }

    /// Nanosecond timestamp of the first instant of month `index` (months since 1970-01),
    /// saturating when the month starts outside the `Int64` range.
    static func startOfMonth(index: Int64) -> Int64 {
        let limit = yearLimit * 12
        if index < -limit { return .min }
        if index > limit { return .max }
        let year = 1970 + floorDiv(index, 12)
        let month = Int(floorMod(index, 12)) + 1
        return saturatingMultiply(days(fromCivil: year, month: month, day: 1), nanosPerDay)
    }

    /// The first instant of the UTC month containing `ns` (saturating at `Int64.min`).
    static func startOfMonth(ofNanos ns: Int64) -> Int64 {
        startOfMonth(index: monthIndex(ofNanos: ns))
    }

    /// The month start `n` months after (or before, if `n < 0`) the month containing
    /// `monthStart`. Taking the containing month means a start saturated to
    /// `Int64.min` still counts from its real month (1677-09).
    static func addMonths(toMonthStart monthStart: Int64, n: Int) -> Int64 {
        startOfMonth(index: saturatingAdd(monthIndex(ofNanos: monthStart), Int64(n)))
    }
}
