/// Why a time, timestamp or duration was rejected. Parsers wrap it in an
/// ``IngestError`` with the line number; the CLI prints it for bad arguments.
package struct TimeFormatError: Error, CustomStringConvertible, Equatable {
    /// What was wrong, for a person to read.
    package var reason: String
    /// Creates an error with `reason`.
    package init(_ reason: String) { self.reason = reason }
    /// The reason itself.
    package var description: String { reason }
}

/// Time text in and out: RFC 3339 instants, CLI time arguments (`now-15m`) and bucket
/// durations (`5m`, `1mo`). Everything is integer nanoseconds since the Unix epoch in
/// UTC, computed with exact calendar arithmetic (see `CivilTime`), so results do not
/// depend on the host's time zone or Foundation.
package enum TimeParsing {
    /// Parses an RFC 3339 instant such as `2026-01-01T00:00:00Z`,
    /// `2006-12-16T17:24:00.5+01:00` or `1969-07-20 20:17:40z` into nanoseconds.
    ///
    /// Fractional seconds take up to 9 digits; the offset is `Z` or `±hh:mm`. Instants
    /// outside Int64 nanoseconds (roughly years 1677 to 2262), leap seconds and
    /// impossible dates (Feb 30) are rejected rather than normalised.
    package static func parseRFC3339(_ s: some StringProtocol) throws(TimeFormatError) -> Int64 {
        var text = String(s)
        let result = text.withUTF8 { buffer in
            Result { () throws(TimeFormatError) -> Int64 in try parseRFC3339(UnsafeRawBufferPointer(buffer)) }
        }
        return try result.get()
    }

    /// The byte-level form of ``parseRFC3339(_:)-(StringProtocol)``, used by the parsers
    /// on the hot path without building a String.
    package static func parseRFC3339(_ b: UnsafeRawBufferPointer) throws(TimeFormatError) -> Int64 {
        func fail(_ what: String) -> TimeFormatError {
            TimeFormatError("invalid RFC 3339 time \"\(String(decoding: b, as: UTF8.self))\": \(what)")
        }
        func number(_ at: Int, _ count: Int) -> Int64? {
            guard at + count <= b.count else { return nil }
            var v: Int64 = 0
            for i in at..<(at + count) {
                let d = b[i] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                v = v * 10 + Int64(d)
            }
            return v
        }
        func expect(_ at: Int, _ c: UInt8) -> Bool { at < b.count && b[at] == c }

        guard let year = number(0, 4), expect(4, UInt8(ascii: "-")),
              let month = number(5, 2), expect(7, UInt8(ascii: "-")),
              let day = number(8, 2) else { throw fail("expected YYYY-MM-DD") }
        guard b.count > 10, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " ")
        else { throw fail("expected 'T' after the date") }
        guard let hour = number(11, 2), expect(13, UInt8(ascii: ":")),
              let minute = number(14, 2), expect(16, UInt8(ascii: ":")),
              let second = number(17, 2) else { throw fail("expected hh:mm:ss") }
        guard (1...12).contains(month) else { throw fail("month \(month) out of range") }
        guard day >= 1 && day <= CivilTime.daysInMonth(year: year, month: month) else {
            throw fail("day \(day) does not exist in \(year)-\(month < 10 ? "0" : "")\(month)")
        }
        guard hour <= 23, minute <= 59 else { throw fail("hour or minute out of range") }
        guard second <= 59 else { throw fail(second == 60 ? "leap seconds are not supported" : "second out of range") }

        var i = 19
        var fraction: Int64 = 0
        if expect(i, UInt8(ascii: ".")) {
            i += 1
            var digits = 0
            while i < b.count, b[i] &- UInt8(ascii: "0") < 10 {
                digits += 1
                guard digits <= 9 else { throw fail("more than 9 fractional digits") }
                fraction = fraction * 10 + Int64(b[i] - UInt8(ascii: "0"))
                i += 1
            }
            guard digits > 0 else { throw fail("expected digits after '.'") }
            for _ in digits..<9 { fraction *= 10 }
        }

        var offsetSeconds: Int64 = 0
        if expect(i, UInt8(ascii: "Z")) || expect(i, UInt8(ascii: "z")) {
            i += 1
        } else if expect(i, UInt8(ascii: "+")) || expect(i, UInt8(ascii: "-")) {
            let sign: Int64 = b[i] == UInt8(ascii: "-") ? -1 : 1
            guard let oh = number(i + 1, 2), expect(i + 3, UInt8(ascii: ":")), let om = number(i + 4, 2),
                  oh <= 23, om <= 59 else { throw fail("expected a ±hh:mm offset") }
            offsetSeconds = sign * (oh * 3600 + om * 60)
            i += 6
        } else {
            throw fail("expected 'Z' or a ±hh:mm offset")
        }
        guard i == b.count else { throw fail("unexpected text after the offset") }

        let days = CivilTime.days(fromCivil: year, month: Int(month), day: Int(day))
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        guard let ns = CivilTime.combine(seconds, unit: CivilTime.nanosPerSecond, plus: fraction) else {
            throw fail("out of range (representable years are 1677 to 2262)")
        }
        return ns
    }

    /// Formats nanoseconds as `2026-01-01T00:00:00.000000000Z`: always UTC and always
    /// nine fraction digits, so output columns line up and round-trip through
    /// ``parseRFC3339(_:)-(StringProtocol)`` exactly, including before 1970.
    package static func formatRFC3339(_ ns: Int64) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(30)
        appendRFC3339(ns, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// ``formatRFC3339(_:)``'s 30 bytes, appended to `out`: for writers that build their
    /// output as bytes (a JSON answer of many rows) without a string per timestamp.
    package static func appendRFC3339(_ ns: Int64, to out: inout [UInt8]) {
        let (seconds, fraction) = CivilTime.floorDivMod(ns, CivilTime.nanosPerSecond)
        let (days, secondOfDay) = CivilTime.floorDivMod(seconds, 86_400)
        let date = CivilTime.civil(fromDays: days)
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: 30))
        func put(_ value: Int64, _ at: Int, _ width: Int) {
            var v = value
            for k in stride(from: start + at + width - 1, through: start + at, by: -1) {
                out[k] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: v % 10)
                v /= 10
            }
        }
        put(date.year, 0, 4); out[start + 4] = UInt8(ascii: "-")
        put(Int64(date.month), 5, 2); out[start + 7] = UInt8(ascii: "-")
        put(Int64(date.day), 8, 2); out[start + 10] = UInt8(ascii: "T")
        put(secondOfDay / 3600, 11, 2); out[start + 13] = UInt8(ascii: ":")
        put(secondOfDay / 60 % 60, 14, 2); out[start + 16] = UInt8(ascii: ":")
        put(secondOfDay % 60, 17, 2); out[start + 19] = UInt8(ascii: ".")
        put(fraction, 20, 9); out[start + 29] = UInt8(ascii: "Z")
    }
}
