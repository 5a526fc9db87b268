/// CLI-facing time text: `--from now-15m`, `--to 1767225600s`, `--every 5m`.
extension TimeParsing {
    /// Parses a time argument as typed on the command line, relative to `now` (ns):
    /// `now`, `now-15m`, `now+1h`, `now-1mo`, or the same without `now` (`-1h`, `+30m`);
    /// an integer with a unit suffix (`1767225600s`, `…ms`, `…us`, `…ns`); an RFC 3339
    /// instant; or a bare date `2026-01-01` meaning UTC midnight. A bare integer is
    /// rejected because its unit would be a guess, a word (`yesterday`) with a hint to
    /// the relative form, and results outside Int64 nanoseconds are rejected.
    package static func parseTimeArgument(_ s: String, now: Int64) throws(TimeFormatError) -> Int64 {
        var text = trimmed(s)
        if text == "now" { return now }
        if text.first == "-" || text.first == "+" { text = "now" + text }
        if !text.isEmpty, text.allSatisfy({ $0.isLetter }) {
            throw TimeFormatError("time \"\(text)\" is not understood: use a relative time such as now-1d (or -1d), "
                                  + "a date such as 2026-01-01, an RFC 3339 time or an epoch with a unit such as 1767225600s")
        }
        if text.hasPrefix("now+") || text.hasPrefix("now-") {
            let negative = text.utf8.dropFirst(3).first == UInt8(ascii: "-")
            let width = try parseDuration(String(text.dropFirst(4)))
            let result: Int64?
            switch width {
            case .nanoseconds(let d):
                let (r, o) = negative ? now.subtractingReportingOverflow(d) : now.addingReportingOverflow(d)
                result = o ? nil : r
            case .months(let m):
                result = CivilTime.addingMonths(negative ? -Int64(m) : Int64(m), to: now)
            }
            guard let result else { throw TimeFormatError("time \"\(text)\" is out of range") }
            return result
        }
        if let (amount, unit) = try splitAmount(text) {
            guard !unit.isEmpty else {
                throw TimeFormatError("time \"\(text)\" needs a unit suffix: s, ms, us or ns (e.g. \(text)s)")
            }
            guard let precision = TimestampPrecision(rawValue: String(unit)), precision != .auto else {
                throw TimeFormatError("time \"\(text)\": unknown unit \"\(unit)\" (use s, ms, us or ns)")
            }
            return try precision.nanoseconds(amount)
        }
        if text.utf8.count == 10 { return try parseRFC3339(text + "T00:00:00Z") }
        return try parseRFC3339(text)
    }

    /// Parses a bucket width: a positive integer and a unit, `ns`, `us`, `ms`, `s`, `m`,
    /// `h`, `d`, `w` or `mo` (calendar months, which have no fixed length and so
    /// become ``BucketWidth/months(_:)``). Zero, negative and overflowing widths are
    /// rejected because a query cannot bucket by them.
    package static func parseDuration(_ s: String) throws(TimeFormatError) -> BucketWidth {
        let text = trimmed(s)
        guard let (amount, unit) = try splitAmount(text) else {
            throw TimeFormatError("invalid duration \"\(text)\": expected a number and a unit, e.g. 5m, 1h, 1mo")
        }
        guard amount > 0 else { throw TimeFormatError("duration \"\(text)\" must be positive") }
        let unitNanos: Int64
        switch unit {
        case "ns": unitNanos = 1
        case "us", "µs": unitNanos = 1_000
        case "ms": unitNanos = 1_000_000
        case "s": unitNanos = 1_000_000_000
        case "m": unitNanos = 60_000_000_000
        case "h": unitNanos = 3_600_000_000_000
        case "d": unitNanos = 86_400_000_000_000
        case "w": unitNanos = 7 * 86_400_000_000_000
        case "mo":
            guard amount <= 12 * 1_000_000 else { throw TimeFormatError("duration \"\(text)\" is too large") }
            return .months(Int(amount))
        case "":
            throw TimeFormatError("duration \"\(text)\" needs a unit: ns, us, ms, s, m, h, d, w or mo")
        default:
            throw TimeFormatError("duration \"\(text)\": unknown unit \"\(unit)\" (use ns, us, ms, s, m, h, d, w or mo)")
        }
        let (ns, overflow) = amount.multipliedReportingOverflow(by: unitNanos)
        guard !overflow else { throw TimeFormatError("duration \"\(text)\" is too large") }
        return .nanoseconds(ns)
    }

    /// Splits `-?digits unit` into the amount and the (possibly empty) unit; nil when
    /// the text is not an integer followed by letters; throws when the integer overflows.
    static func splitAmount(_ text: Substring) throws(TimeFormatError) -> (Int64, Substring)? {
        var rest = text[...]
        let negative = rest.first == "-"
        if negative || rest.first == "+" { rest = rest.dropFirst() }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return nil }
        var value: Int64 = 0
        for u in digits.utf8 {
            let d = Int64(u - UInt8(ascii: "0"))
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
            if o1 || o2 { throw TimeFormatError("number in \"\(text)\" is too large") }
            value = a
        }
        let unit = rest[digits.endIndex...]
        guard unit.allSatisfy({ $0.isLetter }) else { return nil }
        return (value, unit)
    }

    static func trimmed(_ s: String) -> Substring { s.trimmingASCIISpaces() }
}

extension String {
    fileprivate func trimmingASCIISpaces() -> Substring {
        var slice = self[...]
        while let c = slice.first, c == " " || c == "\t" { slice.removeFirst() }
        while let c = slice.last, c == " " || c == "\t" { slice.removeLast() }
        return slice
    }
}
