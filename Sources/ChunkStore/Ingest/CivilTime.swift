/// Proleptic Gregorian calendar arithmetic on plain integers (Howard Hinnant's
/// days-from-civil algorithms): exact for any year, negative days included, and free
/// of Foundation's Calendar, time zones and allocation.
enum CivilTime {
    static let nanosPerSecond: Int64 = 1_000_000_000
    static let nanosPerDay: Int64 = 86_400 * nanosPerSecond

    /// Days since 1970-01-01 of the given date (month 1...12, day 1...31).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number (days since 1970-01-01).
    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func isLeapYear(_ y: Int64) -> Bool {
        y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Floor division and non-negative remainder, so that instants before 1970 split
    /// into (earlier day, time of day) rather than rounding toward zero.
    static func floorDivMod(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        var q = a / b
        var r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }

    /// `ns` moved by `months` calendar months, the day clamped to the target month's
    /// length (Jan 31 + 1 month = Feb 28/29); nil when the result leaves Int64.
    static func addingMonths(_ months: Int64, to ns: Int64) -> Int64? {
        let (days, timeOfDay) = floorDivMod(ns, nanosPerDay)
        let date = civilFromDays(days)
        let (total, o1) = (date.year * 12 + date.month - 1).addingReportingOverflow(months)
        if o1 || total > 12 * 1_000_000 || total < -12 * 1_000_000 { return nil }
        let (year, month0) = floorDivMod(total, 12)
        let day = min(date.day, daysInMonth(year: year, month: month0 + 1))
        let newDays = daysFromCivil(year: year, month: month0 + 1, day: day)
        return combine(newDays, unit: nanosPerDay, plus: timeOfDay)
    }

    /// `whole * unit + part` (0 <= part < unit) in Int64, or nil on overflow. For a
    /// negative `whole` it computes `(whole + 1) * unit + (part - unit)` so instants just
    /// above Int64.min (1677-09-21) do not overflow in the intermediate product.
    static func combine(_ whole: Int64, unit: Int64, plus part: Int64) -> Int64? {
        if whole < 0 && part > 0 {
            let (base, o1) = (whole + 1).multipliedReportingOverflow(by: unit)
            let (result, o2) = base.addingReportingOverflow(part - unit)
            return o1 || o2 ? nil : result
        }
        let (base, o1) = whole.multipliedReportingOverflow(by: unit)
        let (result, o2) = base.addingReportingOverflow(part)
        return o1 || o2 ? nil : result
    }
}
