import Testing
@testable import ChunkStore

/// Known dates, the edges of the nanosecond range, and a day-by-day walk that checks the
/// closed-form conversions against plain calendar counting.
@Suite struct CivilTimeTests {
    let day = CivilTime.nanosPerDay

    @Test func epochAndTheInstantBeforeIt() {
        #expect(CivilTime.dayNumber(ofNanos: 0) == 0)
        #expect(CivilTime.days(fromCivil: 1970, month: 1, day: 1) == 0)
        #expect(CivilTime.civil(fromDays: 0) == (1970, 1, 1))
        // 1969-12-31T23:59:59.999999999Z
        #expect(CivilTime.dayNumber(ofNanos: -1) == -1)
        #expect(CivilTime.civil(fromDays: -1) == (1969, 12, 31))
        #expect(CivilTime.startOfDay(ofNanos: -1) == -day)
        #expect(CivilTime.dayNumber(ofNanos: -day) == -1)
        #expect(CivilTime.dayNumber(ofNanos: -day - 1) == -2)
        #expect(CivilTime.startOfDay(ofNanos: day + 5) == day)
    }

    @Test func leapDay2000() {
        #expect(CivilTime.days(fromCivil: 2000, month: 2, day: 29) == 11016)
        #expect(CivilTime.civil(fromDays: 11016) == (2000, 2, 29))
        #expect(CivilTime.civil(fromDays: 11017) == (2000, 3, 1))
        // 1900 and 2100 are not leap years.
        #expect(CivilTime.days(fromCivil: 1900, month: 3, day: 1) - CivilTime.days(fromCivil: 1900, month: 2, day: 28) == 1)
        #expect(CivilTime.days(fromCivil: 2100, month: 3, day: 1) - CivilTime.days(fromCivil: 2100, month: 2, day: 28) == 1)
    }

    @Test func edgesOfTheNanosecondRange() {
        // Int64.max is 2262-04-11T23:47:16.854775807Z.
        #expect(CivilTime.dayNumber(ofNanos: .max) == 106_751)
        #expect(CivilTime.civil(fromDays: 106_751) == (2262, 4, 11))
        // Int64.min is 1677-09-21T00:12:43.145224192Z.
        #expect(CivilTime.dayNumber(ofNanos: .min) == -106_752)
        #expect(CivilTime.civil(fromDays: -106_752) == (1677, 9, 21))
        // Midnight of 1677-09-21 is before Int64.min: saturate instead of trapping.
        #expect(CivilTime.startOfDay(ofNanos: .min) == .min)
        #expect(CivilTime.startOfMonth(ofNanos: .min) == .min)
        #expect(CivilTime.startOfMonth(ofNanos: .max) == CivilTime.days(fromCivil: 2262, month: 4, day: 1) * day)
        #expect(CivilTime.addMonths(toMonthStart: CivilTime.startOfMonth(ofNanos: .max), n: 1) == .max)
        #expect(CivilTime.addMonths(toMonthStart: .min, n: 1) == CivilTime.days(fromCivil: 1677, month: 10, day: 1) * day)
    }

    @Test func months() {
        #expect(CivilTime.monthIndex(ofNanos: 0) == 0)
        #expect(CivilTime.monthIndex(ofNanos: -1) == -1)
        #expect(CivilTime.startOfMonth(ofNanos: -1) == -31 * day)
        #expect(CivilTime.startOfMonth(ofNanos: 40 * day) == 31 * day)
        #expect(CivilTime.addMonths(toMonthStart: 0, n: -1) == -31 * day)
        #expect(CivilTime.addMonths(toMonthStart: 0, n: 1) == 31 * day)
        #expect(CivilTime.addMonths(toMonthStart: 0, n: 12) == 365 * day)
        #expect(CivilTime.addMonths(toMonthStart: 0, n: -12) == -365 * day)
        let feb2000 = CivilTime.days(fromCivil: 2000, month: 2, day: 1) * day
        #expect(CivilTime.addMonths(toMonthStart: feb2000, n: 1) == CivilTime.days(fromCivil: 2000, month: 3, day: 1) * day)
        #expect(CivilTime.addMonths(toMonthStart: 0, n: .max) == .max)
        #expect(CivilTime.addMonths(toMonthStart: 0, n: .min) == .min)
    }

    @Test func floorHelpers() {
        #expect(CivilTime.floorDiv(-1, 7) == -1)
        #expect(CivilTime.floorDiv(-7, 7) == -1)
        #expect(CivilTime.floorDiv(-8, 7) == -2)
        #expect(CivilTime.floorDiv(.min, 1) == .min)
        #expect(CivilTime.floorMod(-1, 7) == 6)
        #expect(CivilTime.saturatingMultiply(.max, 2) == .max)
        #expect(CivilTime.saturatingMultiply(.min, 2) == .min)
        #expect(CivilTime.saturatingMultiply(-3, .max) == .min)
    }

    /// Walks day by day from 1970-01-01 in both directions past the ends of the
    /// nanosecond range, advancing a (year, month, day) by hand.
    @Test func dayByDayWalkAgreesWithClosedForm() {
        func isLeap(_ y: Int64) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }
        func length(_ y: Int64, _ m: Int) -> Int {
            [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        }
        var failures = 0
        var (y, m, d): (Int64, Int, Int) = (1970, 1, 1)
        for n in Int64(0)...110_000 {
            if CivilTime.civil(fromDays: n) != (y, m, d) || CivilTime.days(fromCivil: y, month: m, day: d) != n {
                failures += 1
            }
            d += 1
            if d > length(y, m) { d = 1; m += 1; if m > 12 { m = 1; y += 1 } }
        }
        (y, m, d) = (1970, 1, 1)
        for n in stride(from: Int64(0), through: -110_000, by: -1) {
            if CivilTime.civil(fromDays: n) != (y, m, d) || CivilTime.days(fromCivil: y, month: m, day: d) != n {
                failures += 1
            }
            d -= 1
            if d < 1 { m -= 1; if m < 1 { m = 12; y -= 1 }; d = length(y, m) }
        }
        #expect(failures == 0)
    }
}
