/// Number text to values, on bytes, shared by the three input formats. Each parser
/// checks its own grammar where it differs (JSON forbids `+1` and `.5`); these
/// functions do the conversion and report overflow separately from bad syntax so the
/// error can say which.
enum NumberParsing {
    enum Outcome<Value> {
        case value(Value)
        case invalid
        case overflow
    }

    /// `[+-]?digits` as Int64.
    static func int64(_ b: UnsafeRawBufferPointer) -> Outcome<Int64> {
        var i = 0
        var negative = false
        if let first = b.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            i = 1
        }
        guard i < b.count else { return .invalid }
        // Up to 19 digits cannot overflow a UInt64: accumulate without checks, then
        // range-check once. Longer text takes the checked loop below.
        if b.count - i <= 19 {
            var magnitude: UInt64 = 0
            while i < b.count {
                let d = b[i] &- UInt8(ascii: "0")
                guard d < 10 else { return .invalid }
                magnitude = magnitude &* 10 &+ UInt64(d)
                i += 1
            }
            if negative {
                if magnitude <= UInt64(Int64.max) { return .value(-Int64(magnitude)) }
                return magnitude == UInt64(Int64.max) + 1 ? .value(.min) : .overflow
            }
            return magnitude <= UInt64(Int64.max) ? .value(Int64(magnitude)) : .overflow
        }
        var value: Int64 = 0
        var overflow = false
        while i < b.count {
            let d = b[i] &- UInt8(ascii: "0")
            guard d < 10 else { return .invalid }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            overflow = overflow || o1 || o2
            value = a
            i += 1
        }
        return overflow ? .overflow : .value(value)
    }

    /// `digits` as UInt64.
    static func uint64(_ b: UnsafeRawBufferPointer) -> Outcome<UInt64> {
        guard !b.isEmpty else { return .invalid }
        var value: UInt64 = 0
        var overflow = false
        for byte in b {
            let d = byte &- UInt8(ascii: "0")
            guard d < 10 else { return .invalid }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            overflow = overflow || o1 || o2
            value = a
        }
        return overflow ? .overflow : .value(value)
    }

    /// 10^0 ... 10^22, every one exactly representable in a Double.
    static let exactPowers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// A decimal float, `[+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?`.
    /// `inf`, `nan` and hex floats are not in the grammar and so are invalid; a value
    /// too large for a Double is an overflow. Short inputs are converted exactly in
    /// integer arithmetic; the rest fall back to the standard library's correctly
    /// rounded conversion.
    static func double(_ b: UnsafeRawBufferPointer) -> Outcome<Double> {
        let n = b.count
        var i = 0
        var negative = false
        if i < n, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
            negative = b[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var truncated = false
        var sawDigit = false
        while i < n, b[i] &- UInt8(ascii: "0") < 10 {
            let d = UInt64(b[i] - UInt8(ascii: "0"))
            sawDigit = true
            if mantissa == 0 && d == 0 {
            } else if significant < 19 {
                mantissa = mantissa * 10 + d
                significant += 1
            } else {
                exponent += 1
                truncated = truncated || d != 0
            }
            i += 1
        }
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, b[i] &- UInt8(ascii: "0") < 10 {
                let d = UInt64(b[i] - UInt8(ascii: "0"))
                sawDigit = true
                if mantissa == 0 && d == 0 {
                    exponent -= 1
                } else if significant < 19 {
                    mantissa = mantissa * 10 + d
                    significant += 1
                    exponent -= 1
                } else {
                    truncated = truncated || d != 0
                }
                i += 1
            }
        }
        guard sawDigit else { return .invalid }
        if i < n, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if i < n, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
                expNegative = b[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            var expDigits = 0
            while i < n, b[i] &- UInt8(ascii: "0") < 10 {
                e = min(e * 10 + Int(b[i] - UInt8(ascii: "0")), 1_000_000)
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return .invalid }
            exponent += expNegative ? -e : e
        }
        guard i == n else { return .invalid }

        var result: Double
        if !truncated && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            result = Double(mantissa)
            result = exponent >= 0 ? result * exactPowers[exponent] : result / exactPowers[-exponent]
            if negative { result = -result }
        } else if mantissa == 0 {
            result = negative ? -0.0 : 0.0
        } else {
            guard let slow = Double(String(decoding: b, as: UTF8.self)) else { return .invalid }
            result = slow
        }
        return result.isFinite ? .value(result) : .overflow
    }
}
