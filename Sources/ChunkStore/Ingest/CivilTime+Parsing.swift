/// Calendar helpers the time parsers need on top of the query layer's ``CivilTime``:
/// month lengths, splitting and recombining instants without overflow, and moving an
/// instant by calendar months.
extension CivilTime {
    static let nanosPerSecond: Int64 = 1_000_000_000

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
        (floorDiv(a, b), floorMod(a, b))
    }

    /// `ns` moved by `months` calendar months, the day clamped to the target month's
    /// length (Jan 31 + 1 month = Feb 28/29); nil when the result leaves Int64.
    static func addingMonths(_ months: Int64, to ns: Int64) -> Int64? {
        let (dayNumber, timeOfDay) = floorDivMod(ns, nanosPerDay)
        let date = civil(fromDays: dayNumber)
        let (total, o1) = (date.year * 12 + Int64(date.month) - 1).addingReportingOverflow(months)
        if o1 || total > 12 * 1_000_000 || total < -12 * 1_000_000 { return nil }
        let (year, month0) = floorDivMod(total, 12)
        let day = min(Int64(date.day), daysInMonth(year: year, month: month0 + 1))
        let newDays = days(fromCivil: year, month: Int(month0 + 1), day: Int(day))
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
