/// Parses JSON Lines, one object per line, into a reusable ``ParsedRecord``:
///
///     {"device":"m1","ts":1767225600,"power":1.5,"ok":true}
///     {"device":"m1","ts":"2026-01-01T00:00:00Z","fields":{"power":1.5}}
///
/// - `device` (required) is a string.
/// - `ts` (also `time` or `timestamp`) is an integer epoch in `precision` or an
///   RFC 3339 string; absent or `null` leaves the timestamp nil (the caller uses now).
/// - Every other top-level member, or every member of a `fields` object, is a field:
///   an integer literal is an int, a number with a fraction or exponent a float,
///   `true`/`false` a boolean and `null` a missing value. Strings, arrays and objects
///   are rejected with the field's name. A repeated field: the last value wins.
///
/// The scanner is hand-written on bytes (no Foundation) for speed, and strict: any
/// malformed JSON is rejected with a reason. A blank line returns `false`.
package struct JSONLinesParser {
    /// The unit of integer `ts` values.
    package let precision: TimestampPrecision

    private var names = NameInterner()
    private var text: [UInt8] = []

    /// Creates a parser that reads integer timestamps in `precision`.
    package init(precision: TimestampPrecision = .auto) {
        self.precision = precision
        text.reserveCapacity(512)
    }

    /// Parses one line into `record` (reset first). Returns `false` for a blank line;
    /// throws for malformed JSON, a missing device, a field of an unsupported type or
    /// a row with no field values.
    package mutating func parse(
        _ line: UnsafeRawBufferPointer, lineNumber: Int, into record: inout ParsedRecord
    ) throws(IngestError) -> Bool {
        record.reset()
        var cursor = JSONCursor(bytes: line, lineNumber: lineNumber)
        cursor.skipWhitespace()
        if cursor.atEnd { return false }
        try cursor.expect(UInt8(ascii: "{"), "'{' to start an object")
        var sawDevice = false
        try parseMembers(&cursor, topLevel: true, record: &record, sawDevice: &sawDevice)
        cursor.skipWhitespace()
        guard cursor.atEnd else { throw cursor.error("unexpected text after the object at column \(cursor.index + 1)") }
        guard sawDevice else { throw cursor.error("missing \"device\"") }
        guard !record.fields.isEmpty else { throw cursor.error("the object has no field values") }
        return true
    }

    /// The members of an object whose `{` has been consumed, through its `}`.
    private mutating func parseMembers(
        _ cursor: inout JSONCursor, topLevel: Bool, record: inout ParsedRecord, sawDevice: inout Bool
    ) throws(IngestError) {
        cursor.skipWhitespace()
        if cursor.peek == UInt8(ascii: "}") { cursor.advance(); return }
        while true {
            cursor.skipWhitespace()
            guard cursor.peek == UInt8(ascii: "\"") else {
                throw cursor.error(cursor.atEnd ? "unterminated object" : "expected a quoted key at column \(cursor.index + 1)")
            }
            text.removeAll(keepingCapacity: true)
            let key = try cursor.readString(into: &text)
            cursor.skipWhitespace()
            try cursor.expect(UInt8(ascii: ":"), "':' after a key")
            cursor.skipWhitespace()
            switch topLevel ? Self.special(text[key]) : nil {
            case .device?:
                guard cursor.peek == UInt8(ascii: "\"") else { throw cursor.error("\"device\" must be a string") }
                let value = try cursor.readString(into: &text)
                record.device = try names.intern(text, value, what: "device", line: cursor.lineNumber)
                sawDevice = true
            case .time?:
                record.timestamp = try timestamp(&cursor)
            case .fields?:
                guard cursor.peek == UInt8(ascii: "{") else { throw cursor.error("\"fields\" must be an object") }
                cursor.advance()
                try parseMembers(&cursor, topLevel: false, record: &record, sawDevice: &sawDevice)
            case nil:
                let name = try names.intern(text, key, what: "field name", line: cursor.lineNumber)
                if let value = try fieldValue(&cursor, name: name) { record.set(name, value) }
            }
            cursor.skipWhitespace()
            switch cursor.peek {
            case UInt8(ascii: ",")?: cursor.advance()
            case UInt8(ascii: "}")?: cursor.advance(); return
            case nil: throw cursor.error("unterminated object")
            default: throw cursor.error("expected ',' or '}' at column \(cursor.index + 1)")
            }
        }
    }

    private enum Special { case device, time, fields }

    private static func special(_ key: ArraySlice<UInt8>) -> Special? {
        if key.elementsEqual("device".utf8) { return .device }
        if key.elementsEqual("ts".utf8) || key.elementsEqual("time".utf8) || key.elementsEqual("timestamp".utf8) {
            return .time
        }
        if key.elementsEqual("fields".utf8) { return .fields }
        return nil
    }

    private mutating func timestamp(_ cursor: inout JSONCursor) throws(IngestError) -> Int64? {
        if cursor.readLiteral("null") { return nil }
        do {
            if cursor.peek == UInt8(ascii: "\"") {
                let range = try cursor.readString(into: &text)
                let result = text.withUnsafeBytes { buf in
                    Result { () throws(TimeFormatError) -> Int64 in
                        try TimeParsing.parseRFC3339(UnsafeRawBufferPointer(rebasing: buf[range]))
                    }
                }
                return try result.get()
            }
            guard let first = cursor.peek, first == UInt8(ascii: "-") || first &- UInt8(ascii: "0") < 10 else {
                throw cursor.error("\"ts\" must be an integer or an RFC 3339 string")
            }
            guard case .integer(let digits) = try cursor.readNumber() else {
                throw cursor.error("\"ts\" must be an integer, not a fraction")
            }
            switch NumberParsing.int64(digits) {
            case .value(let v): return try precision.nanoseconds(v)
            default: throw cursor.error("timestamp \(NameRules.quoted(digits)) is out of range")
            }
        } catch let error as TimeFormatError {
            throw cursor.error(error.reason)
        } catch let error as IngestError {
            throw error
        } catch {
            throw cursor.error("\(error)")
        }
    }

    /// The value of field `name`, nil for `null`.
    private func fieldValue(_ cursor: inout JSONCursor, name: String) throws(IngestError) -> FieldValue? {
        switch cursor.peek {
        case UInt8(ascii: "\"")?:
            throw cursor.error("string field \(name) is not supported")
        case UInt8(ascii: "[")?:
            throw cursor.error("field \(name) is an array; only numbers and booleans are supported")
        case UInt8(ascii: "{")?:
            throw cursor.error("field \(name) is an object; only numbers and booleans are supported")
        case UInt8(ascii: "-")?, .some(UInt8(ascii: "0")...UInt8(ascii: "9")):
            switch try cursor.readNumber() {
            case .integer(let digits):
                switch NumberParsing.int64(digits) {
                case .value(let v): return .int(v)
                default:
                    throw cursor.error("integer \(NameRules.quoted(digits)) for field \(name) is out of range for a 64-bit integer")
                }
            case .decimal(let digits):
                return try FieldValueText.float(digits, field: name, line: cursor.lineNumber)
            }
        default:
            if cursor.readLiteral("true") { return .bool(true) }
            if cursor.readLiteral("false") { return .bool(false) }
            if cursor.readLiteral("null") { return nil }
            throw cursor.error(cursor.atEnd ? "missing value for field \(name)" : "invalid value for field \(name) at column \(cursor.index + 1)")
        }
    }
}
