import Testing
@testable import ChunkStore

@Suite struct IngestTimeParsingTests {
    @Test func parsesRFC3339Forms() throws {
        #expect(try TimeParsing.parseRFC3339("1970-01-01T00:00:00Z") == 0)
        #expect(try TimeParsing.parseRFC3339("2026-01-01T00:00:00Z") == 1_767_225_600_000_000_000)
        #expect(try TimeParsing.parseRFC3339("2026-01-01T01:00:00+01:00") == 1_767_225_600_000_000_000)
        #expect(try TimeParsing.parseRFC3339("2025-12-31T19:30:00-04:30") == 1_767_225_600_000_000_000)
        #expect(try TimeParsing.parseRFC3339("1970-01-01t00:00:00.5z") == 500_000_000)
        #expect(try TimeParsing.parseRFC3339("1970-01-01 00:00:00.000000001Z") == 1)
        #expect(try TimeParsing.parseRFC3339("1969-12-31T23:59:59.999999999Z") == -1)
        #expect(try TimeParsing.parseRFC3339("1900-03-01T00:00:00Z") == -2_203_891_200 * 1_000_000_000)
        #expect(try TimeParsing.parseRFC3339("2024-02-29T12:00:00Z") == 1_709_208_000_000_000_000)
        #expect(try TimeParsing.parseRFC3339("2262-04-11T23:47:16.854775807Z") == Int64.max)
        #expect(try TimeParsing.parseRFC3339("1677-09-21T00:12:43.145224192Z") == Int64.min)
    }

    @Test(arguments: [
        ("2026-01-01", "'T'"),
        ("2026-13-01T00:00:00Z", "month"),
        ("2025-02-29T00:00:00Z", "does not exist"),
        ("2026-01-01T24:00:00Z", "hour"),
        ("2026-01-01T23:59:60Z", "leap"),
        ("2026-01-01T00:00:00", "offset"),
        ("2026-01-01T00:00:00.Z", "digits"),
        ("2026-01-01T00:00:00.1234567890Z", "9 fractional"),
        ("2026-01-01T00:00:00+0100", "offset"),
        ("2026-01-01T00:00:00Zjunk", "after"),
        ("2262-04-11T23:47:16.854775808Z", "out of range"),
        ("1677-09-21T00:12:43.145224191Z", "out of range"),
        ("9999-01-01T00:00:00Z", "out of range"),
        ("26-01-01T00:00:00Z", "YYYY"),
    ])
    func rejectsBadRFC3339(text: String, reason: String) {
        #expect {
            try TimeParsing.parseRFC3339(text)
        } throws: { error in
            (error as? TimeFormatError)?.reason.contains(reason) == true
        }
    }

    @Test func formatsWithNineDigits() {
        #expect(TimeParsing.formatRFC3339(0) == "1970-01-01T00:00:00.000000000Z")
        #expect(TimeParsing.formatRFC3339(1_767_225_600_000_000_000) == "2026-01-01T00:00:00.000000000Z")
        #expect(TimeParsing.formatRFC3339(-1) == "1969-12-31T23:59:59.999999999Z")
        #expect(TimeParsing.formatRFC3339(Int64.max) == "2262-04-11T23:47:16.854775807Z")
        #expect(TimeParsing.formatRFC3339(Int64.min) == "1677-09-21T00:12:43.145224192Z")
        // The byte form appends the same 30 bytes after whatever is there.
        var bytes = Array("x".utf8)
        TimeParsing.appendRFC3339(-1, to: &bytes)
        TimeParsing.appendRFC3339(Int64.max, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x1969-12-31T23:59:59.999999999Z2262-04-11T23:47:16.854775807Z")
    }

    @Test func roundTripsRandomInstants() throws {
        var rng = SeededRandom(seed: 0xC0FFEE)
        var samples: [Int64] = [0, 1, -1, Int64.max, Int64.min, Int64.max - 1, Int64.min + 1, -86_400_000_000_000]
        for _ in 0..<5000 { samples.append(Int64(bitPattern: rng.next())) }
        for _ in 0..<1000 { samples.append(Int64.random(in: -4_000_000_000_000_000_000...4_000_000_000_000_000_000, using: &rng)) }
        for ns in samples {
            let text = TimeParsing.formatRFC3339(ns)
            #expect(text.utf8.count == 30)
            #expect(try TimeParsing.parseRFC3339(text) == ns, "\(ns) -> \(text)")
        }
    }

    @Test func civilAlgorithmsAgreeDayByDay() {
        var expected = CivilTime.days(fromCivil: 1600, month: 1, day: 1)
        for year in Int64(1600)...2400 {
            for month in Int64(1)...12 {
                for day in 1...CivilTime.daysInMonth(year: year, month: month) {
                    let days = CivilTime.days(fromCivil: year, month: Int(month), day: Int(day))
                    #expect(days == expected)
                    let back = CivilTime.civil(fromDays: days)
                    #expect(back.year == year && Int64(back.month) == month && Int64(back.day) == day)
                    expected += 1
                }
            }
        }
    }

    @Test func timeArguments() throws {
        let now: Int64 = 1_767_225_600_000_000_000
        #expect(try TimeParsing.parseTimeArgument("now", now: now) == now)
        #expect(try TimeParsing.parseTimeArgument(" now-15m ", now: now) == now - 900_000_000_000)
        #expect(try TimeParsing.parseTimeArgument("now+1h", now: now) == now + 3_600_000_000_000)
        #expect(try TimeParsing.parseTimeArgument("now-7d", now: now) == now - 7 * 86_400_000_000_000)
        #expect(try TimeParsing.parseTimeArgument("now-1mo", now: now) == (try TimeParsing.parseRFC3339("2025-12-01T00:00:00Z")))
        #expect(try TimeParsing.parseTimeArgument("1767225600s", now: 0) == now)
        #expect(try TimeParsing.parseTimeArgument("1767225600000ms", now: 0) == now)
        #expect(try TimeParsing.parseTimeArgument("1767225600000000us", now: 0) == now)
        #expect(try TimeParsing.parseTimeArgument("-5ns", now: 0) == -5)
        #expect(try TimeParsing.parseTimeArgument("2026-01-01T00:00:00Z", now: 0) == now)
        #expect(try TimeParsing.parseTimeArgument("2026-01-01", now: 0) == now)
        for bad in ["1767225600", "12parsecs", "now-", "now-5x", "yesterday", "99999999999999999999s", "9999999999999s", ""] {
            #expect(throws: TimeFormatError.self, "\(bad)") { try TimeParsing.parseTimeArgument(bad, now: now) }
        }
        #expect(throws: TimeFormatError.self) { try TimeParsing.parseTimeArgument("now+1000000d", now: now) }
        // A leading sign is relative to now: `-1h` is `now-1h`.
        #expect(try TimeParsing.parseTimeArgument("-1h", now: now) == now - 3_600_000_000_000)
        #expect(try TimeParsing.parseTimeArgument("+30m", now: now) == now + 1_800_000_000_000)
        #expect(try TimeParsing.parseTimeArgument("-1mo", now: now) == (try TimeParsing.parseRFC3339("2025-12-01T00:00:00Z")))
        // Words get the relative form as a hint.
        for word in ["yesterday", "today", "Tomorrow"] {
            do {
                _ = try TimeParsing.parseTimeArgument(word, now: now)
                Issue.record("\(word) parsed")
            } catch {
                #expect(error.reason.contains("now-1d"), "\(error.reason)")
            }
        }
    }

    @Test func monthArithmeticClampsTheDay() throws {
        let jan31 = try TimeParsing.parseRFC3339("2024-01-31T10:00:00Z")
        #expect(CivilTime.addingMonths(1, to: jan31) == (try TimeParsing.parseRFC3339("2024-02-29T10:00:00Z")))
        #expect(CivilTime.addingMonths(-2, to: jan31) == (try TimeParsing.parseRFC3339("2023-11-30T10:00:00Z")))
        let before1970 = try TimeParsing.parseRFC3339("1969-03-15T06:07:08.9Z")
        #expect(CivilTime.addingMonths(12, to: before1970) == (try TimeParsing.parseRFC3339("1970-03-15T06:07:08.9Z")))
        #expect(CivilTime.addingMonths(1, to: Int64.max) == nil)
    }

    @Test func durations() throws {
        #expect(try TimeParsing.parseDuration("500ms") == .nanoseconds(500_000_000))
        #expect(try TimeParsing.parseDuration("10s") == .nanoseconds(10_000_000_000))
        #expect(try TimeParsing.parseDuration("5m") == .nanoseconds(300_000_000_000))
        #expect(try TimeParsing.parseDuration("1h") == .nanoseconds(3_600_000_000_000))
        #expect(try TimeParsing.parseDuration("1d") == .nanoseconds(86_400_000_000_000))
        #expect(try TimeParsing.parseDuration("1w") == .nanoseconds(7 * 86_400_000_000_000))
        #expect(try TimeParsing.parseDuration("250us") == .nanoseconds(250_000))
        #expect(try TimeParsing.parseDuration("7ns") == .nanoseconds(7))
        #expect(try TimeParsing.parseDuration("1mo") == .months(1))
        #expect(try TimeParsing.parseDuration("2mo") == .months(2))
        for (bad, reason) in [("0s", "positive"), ("-5m", "positive"), ("5", "unit"), ("5y", "unknown unit"),
                              ("m", "expected"), ("200000d", "too large"), ("99999999999999999999ns", "too large"),
                              ("1.5h", "expected"), ("", "expected")] {
            #expect("\(bad)", performing: { try TimeParsing.parseDuration(bad) }, throws: { error in
                (error as? TimeFormatError)?.reason.contains(reason) == true
            })
        }
    }

    @Test func precisionScalingDetectsOverflow() throws {
        #expect(TimestampPrecision.fixedUnits.map { $0.multiplier(for: 1) } == [1, 1_000, 1_000_000, 1_000_000_000])
        #expect(try TimestampPrecision.s.nanoseconds(1_767_225_600) == 1_767_225_600_000_000_000)
        #expect(try TimestampPrecision.ms.nanoseconds(-1) == -1_000_000)
        #expect(try TimestampPrecision.ns.nanoseconds(Int64.min) == Int64.min)
        #expect(throws: TimeFormatError.self) { try TimestampPrecision.s.nanoseconds(9_300_000_000) }
        #expect(throws: TimeFormatError.self) { try TimestampPrecision.us.nanoseconds(Int64.max / 10) }
    }
}
