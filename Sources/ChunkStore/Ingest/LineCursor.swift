/// A read position in one line protocol line, with the scanning steps the parser
/// needs. Works on the caller's bytes; unescaped names are copied into the parser's
/// reusable scratch buffer so nothing is allocated per line.
struct LineCursor: ByteCursor {
    /// Up to three bytes that end a token or may follow a backslash.
    struct ByteSet {
        var a: UInt8, b: UInt8, c: UInt8
        func contains(_ x: UInt8) -> Bool { x == a || x == b || x == c }

        static let measurement = ByteSet(a: UInt8(ascii: ","), b: UInt8(ascii: " "), c: UInt8(ascii: ","))
        static let key = ByteSet(a: UInt8(ascii: ","), b: UInt8(ascii: " "), c: UInt8(ascii: "="))
        static let tagValue = key
        static let names = key
    }

    let bytes: UnsafeRawBufferPointer
    let lineNumber: Int
    var index = 0

    init(bytes: UnsafeRawBufferPointer, lineNumber: Int) {
        self.bytes = bytes
        self.lineNumber = lineNumber
    }

    var rest: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[min(index, bytes.count)...]) }

    /// Skips spaces, tabs and a stray carriage return.
    mutating func skipBlanks() {
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t")
            || bytes[index] == UInt8(ascii: "\r") {
            index += 1
        }
    }

    /// A name read by ``readName(into:stops:escapes:)``: a range of the line itself when
    /// it had no escapes (the common case: nothing is copied), else of the scratch buffer,
    /// where its unescaped bytes were written.
    struct Name {
        var range: Range<Int>
        var inScratch: Bool
        var isEmpty: Bool { range.isEmpty }
    }

    /// Reads a name up to an unescaped byte of `stops`. A backslash before a byte of
    /// `escapes` escapes it; before anything else it is kept literally, as InfluxDB does.
    /// Only a name with a backslash is copied, unescaped, into `scratch`.
    mutating func readName(into scratch: inout [UInt8], stops: ByteSet, escapes: ByteSet) throws(IngestError) -> Name {
        let start = index
        let end = scan(from: index, stops.a, stops.b, stops.c, UInt8(ascii: "\\"))
        if end < bytes.count && bytes[end] == UInt8(ascii: "\\") {
            return Name(range: try readEscaped(into: &scratch, stops: stops, escapes: escapes), inScratch: true)
        }
        index = end
        return Name(range: start..<end, inScratch: false)
    }

    /// The index of the first byte from `start` on that is `a`, `b`, `c` or `d`, else the end.
    private func scan(from start: Int, _ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> Int {
        guard let base = bytes.baseAddress else { return bytes.count }
        return ByteScan.find(base, from: start, to: bytes.count, a, b, c, d)
    }

    /// `readName`'s path for a name with a backslash: unescapes it into `scratch` and
    /// returns where it landed there.
    private mutating func readEscaped(into scratch: inout [UInt8], stops: ByteSet, escapes: ByteSet) throws(IngestError) -> Range<Int> {
        let start = scratch.count
        while index < bytes.count {
            let b = bytes[index]
            if stops.contains(b) { break }
            if b == UInt8(ascii: "\\") {
                guard index + 1 < bytes.count else { throw error("unterminated escape at the end of the line") }
                let next = bytes[index + 1]
                if escapes.contains(next) {
                    scratch.append(next)
                    index += 2
                    continue
                }
            }
            scratch.append(b)
            index += 1
        }
        return start..<scratch.count
    }

    /// The raw text of a field value, up to `,`, space or the end.
    mutating func readFieldValue() -> UnsafeRawBufferPointer {
        let start = index
        index = scan(from: index, UInt8(ascii: ","), UInt8(ascii: " "), UInt8(ascii: ","), UInt8(ascii: " "))
        return UnsafeRawBufferPointer(rebasing: bytes[start..<index])
    }

    /// The raw text up to a space, tab or the end.
    mutating func readUntilBlank() -> UnsafeRawBufferPointer {
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: " "), bytes[index] != UInt8(ascii: "\t") {
            index += 1
        }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<index])
    }

    /// Steps over a `"…"` string value (backslash escapes the next byte), so that an
    /// unterminated string is reported as such rather than as an unsupported type.
    mutating func skipQuotedString(field: String) throws(IngestError) {
        index += 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): index += 1; return
            default: index += 1
            }
        }
        throw error("unterminated string value for field \(field)")
    }
}
