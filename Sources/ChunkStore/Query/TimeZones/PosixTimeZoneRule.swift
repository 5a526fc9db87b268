/// A POSIX TZ rule as found in a TZif footer (RFC 8536 section 3.3), such as
/// `CET-1CEST,M3.5.0,M10.5.0/3`: a standard offset and, optionally, a daylight-saving
/// offset with the yearly dates and local times at which it starts and ends.
///
/// POSIX writes offsets west of UTC as positive (`CET-1` is UTC+1); this type stores
/// seconds east of UTC, like the rest of ``TimeZoneRules``.
struct PosixTimeZoneRule: Sendable, Hashable {
    /// One end of the daylight-saving period: a day of the year and a local time on it.
    enum Day: Sendable, Hashable {
        /// `Jn`: day 1...365, February 29 never counted.
        case julian(Int)
        /// `n`: day 0...365, February 29 counted in leap years.
        case zeroBased(Int)
        /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (5 = last) of month `m`.
        case monthWeekDay(month: Int, week: Int, weekday: Int)
    }

    /// The daylight-saving period: its offset, and when it starts and ends (local times in
    /// seconds after midnight, the start in standard time and the end in daylight time).
    struct Daylight: Sendable, Hashable {
        var offset: Int64
        var start: Day, startTime: Int64
        var end: Day, endTime: Int64
    }

    let standardOffset: Int64
    let daylight: Daylight?

    /// Parses a rule; nil when it does not follow POSIX (with RFC 8536's extensions: hours
    /// up to 167 and negative in the transition times).
    init?(_ text: String) {
        var p = Scanner(Array(text.utf8))
        guard p.skipName(), let std = p.offset() else { return nil }
        standardOffset = -std
        if p.atEnd { daylight = nil; return }
        guard p.skipName() else { return nil }
        var dstOffset = standardOffset + 3600
        if !p.peek(",") {
            guard let west = p.offset() else { return nil }
            dstOffset = -west
        }
        guard p.take(","), let start = p.day() else { return nil }
        let startTime = p.take("/") ? p.offset() : 7200
        guard let startTime, p.take(","), let end = p.day() else { return nil }
        let endTime = p.take("/") ? p.offset() : 7200
        guard let endTime, p.atEnd else { return nil }
        daylight = Daylight(offset: dstOffset, start: start, startTime: startTime, end: end, endTime: endTime)
    }

    /// Seconds east of UTC at the instant `t` (UTC seconds).
    func offset(atUTCSeconds t: Int64) -> Int64 {
        guard let dst = daylight else { return standardOffset }
        let year = CivilTime.civil(fromDays: CivilTime.floorDiv(t + standardOffset, 86_400)).year
        // Transitions happen at local times: the start in standard time, the end in daylight time.
        let start = Self.dayNumber(dst.start, year: year) * 86_400 + dst.startTime - standardOffset
        let end = Self.dayNumber(dst.end, year: year) * 86_400 + dst.endTime - dst.offset
        let inDaylight = start < end ? (start <= t && t < end) : !(end <= t && t < start)
        return inDaylight ? dst.offset : standardOffset
    }

    /// Day number (days since 1970-01-01) of `day` in `year`.
    static func dayNumber(_ day: Day, year: Int64) -> Int64 {
        let january1 = CivilTime.days(fromCivil: year, month: 1, day: 1)
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        switch day {
        case .julian(let n):
            return january1 + Int64(n - 1) + (leap && n >= 60 ? 1 : 0)
        case .zeroBased(let n):
            return january1 + Int64(n)
        case .monthWeekDay(let month, let week, let weekday):
            let first = CivilTime.days(fromCivil: year, month: month, day: 1)
            let firstWeekday = CivilTime.floorMod(first + 4, 7) // 1970-01-01 was a Thursday (4)
            var day = first + CivilTime.floorMod(Int64(weekday) - firstWeekday, 7) + Int64(week - 1) * 7
            let nextMonth = month == 12 ? CivilTime.days(fromCivil: year + 1, month: 1, day: 1)
                                        : CivilTime.days(fromCivil: year, month: month + 1, day: 1)
            while day >= nextMonth { day -= 7 } // week 5 means the last such weekday
            return day
        }
    }

    /// A cursor over the rule's bytes.
    private struct Scanner {
        let bytes: [UInt8]
        var i = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { i == bytes.count }
        func peek(_ c: Character) -> Bool { i < bytes.count && bytes[i] == c.asciiValue }
        mutating func take(_ c: Character) -> Bool {
            guard peek(c) else { return false }
            i += 1
            return true
        }

        /// `<+0330>` or three or more letters.
        mutating func skipName() -> Bool {
            if take("<") {
                while i < bytes.count, bytes[i] != UInt8(ascii: ">") { i += 1 }
                return take(">")
            }
            let start = i
            while i < bytes.count, (bytes[i] | 0x20) >= UInt8(ascii: "a"), (bytes[i] | 0x20) <= UInt8(ascii: "z") { i += 1 }
            return i - start >= 3
        }

        mutating func number(max: Int64) -> Int64? {
            let start = i
            var value: Int64 = 0
            while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9"), i - start < 4 {
                value = value * 10 + Int64(bytes[i] - UInt8(ascii: "0"))
                i += 1
            }
            return i > start && value <= max ? value : nil
        }

        /// `[+-]hh[:mm[:ss]]` in seconds, positive west of UTC as POSIX writes it.
        mutating func offset() -> Int64? {
            let sign: Int64 = take("-") ? -1 : (take("+") ? 1 : 1)
            guard let h = number(max: 167) else { return nil }
            var seconds = h * 3600
            if take(":") {
                guard let m = number(max: 59) else { return nil }
                seconds += m * 60
                if take(":") {
                    guard let s = number(max: 59) else { return nil }
                    seconds += s
                }
            }
            return sign * seconds
        }

        mutating func day() -> Day? {
            if take("J") {
                guard let n = number(max: 365), n >= 1 else { return nil }
                return .julian(Int(n))
            }
            if take("M") {
                guard let m = number(max: 12), m >= 1, take("."), let w = number(max: 5), w >= 1,
                      take("."), let d = number(max: 6) else { return nil }
                return .monthWeekDay(month: Int(m), week: Int(w), weekday: Int(d))
            }
            guard let n = number(max: 365) else { return nil }
            return .zeroBased(Int(n))
        }
    }
}
