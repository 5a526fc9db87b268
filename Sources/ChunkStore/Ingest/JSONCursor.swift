/// A byte-level JSON scanner over one line: just the pieces the JSON Lines parser
/// needs (strings with all escapes, numbers, literals), strict about the grammar so
/// malformed input is reported rather than guessed at.
struct JSONCursor: ByteCursor {
    enum Number {
        case integer(UnsafeRawBufferPointer)
        case decimal(UnsafeRawBufferPointer)
    }

    let bytes: UnsafeRawBufferPointer
    let lineNumber: Int
    var index = 0

    init(bytes: UnsafeRawBufferPointer, lineNumber: Int) {
        self.bytes = bytes
        self.lineNumber = lineNumber
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"): index += 1
            default: return
            }
        }
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(IngestError) {
        guard peek == byte else { throw error("expected \(what) at column \(index + 1)") }
        index += 1
    }

    /// Reads a string (the cursor is on its opening quote), appending the decoded
    /// UTF-8 to `out`, and returns where it landed there.
    mutating func readString(into out: inout [UInt8]) throws(IngestError) -> Range<Int> {
        let start = out.count
        index += 1
        while index < bytes.count {
            let b = bytes[index]
            index += 1
            switch b {
            case UInt8(ascii: "\""):
                return start..<out.count
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { break }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"): try appendUnicodeEscape(to: &out)
                default: throw error("invalid escape \\\(Unicode.Scalar(e)) in a string")
                }
            case 0..<0x20:
                throw error("unescaped control character in a string")
            default:
                out.append(b)
            }
        }
        throw error("unterminated string")
    }

    /// After `\u`: four hex digits, and for a high surrogate the `\uXXXX` low half.
    private mutating func appendUnicodeEscape(to out: inout [UInt8]) throws(IngestError) {
        var value = try hex4()
        if (0xD800...0xDBFF).contains(value) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw error("unpaired surrogate \\u\(String(value, radix: 16, uppercase: true)) in a string") }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid surrogate pair in a string") }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(value) {
            throw error("unpaired surrogate \\u\(String(value, radix: 16, uppercase: true)) in a string")
        }
        guard let scalar = Unicode.Scalar(value), let encoded = UTF8.encode(scalar) else {
            throw error("invalid \\u escape")
        }
        for unit in encoded { out.append(unit) }
    }

    private mutating func hex4() throws(IngestError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw error("invalid hex digit in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// Reads a number per the JSON grammar, `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
    mutating func readNumber() throws(IngestError) -> Number {
        let start = index
        func digits() -> Int {
            let from = index
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
            return index - from
        }
        if peek == UInt8(ascii: "-") { index += 1 }
        let intStart = index
        let intDigits = digits()
        guard intDigits > 0 else { throw error("invalid number at column \(start + 1)") }
        if intDigits > 1 && bytes[intStart] == UInt8(ascii: "0") {
            throw error("number with a leading zero at column \(start + 1)")
        }
        var isInteger = true
        if peek == UInt8(ascii: ".") {
            index += 1
            isInteger = false
            guard digits() > 0 else { throw error("expected digits after '.' at column \(index + 1)") }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            index += 1
            isInteger = false
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw error("expected digits in the exponent at column \(index + 1)") }
        }
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
        return isInteger ? .integer(text) : .decimal(text)
    }

    /// Consumes `word` (`true`, `false`, `null`) if it is next, as a whole token.
    mutating func readLiteral(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let candidate = UnsafeRawBufferPointer(rebasing: bytes[index..<(index + count)])
        guard candidate.elementsEqual(UnsafeRawBufferPointer(start: word.utf8Start, count: count)) else { return false }
        if index + count < bytes.count {
            let next = bytes[index + count]
            if next >= UInt8(ascii: "a") && next <= UInt8(ascii: "z") || next &- UInt8(ascii: "0") < 10 { return false }
        }
        index += count
        return true
    }
}
