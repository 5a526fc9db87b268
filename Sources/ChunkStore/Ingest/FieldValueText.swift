/// Field value text to ``FieldValue``, per input format, with errors that name the
/// field and quote the text.
enum FieldValueText {
    /// A line protocol value: `12i`, `12u`, a boolean word, or a float.
    static func lineProtocol(_ text: UnsafeRawBufferPointer, field: String, line: Int) throws(IngestError) -> FieldValue {
        if let value = lineProtocolValue(text) { return value }
        throw lineProtocolError(text, field: field, line: line)
    }

    /// What ``lineProtocol(_:field:line:)`` returns for `text`, or nil where it throws: also
    /// the parser's fast path, which leaves the error to be reported by the full parse.
    static func lineProtocolValue(_ text: UnsafeRawBufferPointer) -> FieldValue? {
        guard let last = text.last else { return nil }
        // Every boolean form starts with t, T, f or F, which no number does: numbers,
        // the common case, skip the word comparisons.
        switch text[0] {
        case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"):
            if let bool = boolean(text, lineProtocolForms: true) { return .bool(bool) }
        default:
            break
        }
        let body = UnsafeRawBufferPointer(rebasing: text.dropLast())
        if last == UInt8(ascii: "i") {
            switch NumberParsing.int64(body) {
            case .value(let v): return .int(v)
            case .overflow: return nil
            case .invalid: break
            }
        } else if last == UInt8(ascii: "u") {
            switch NumberParsing.uint64(body) {
            case .value(let v): return .uint(v)
            case .overflow: return nil
            case .invalid: break
            }
        }
        if case .value(let v) = NumberParsing.double(text) { return .float(v) }
        return nil
    }

    /// Why ``lineProtocolValue(_:)`` found no value in `text`, in the same order of checks.
    private static func lineProtocolError(_ text: UnsafeRawBufferPointer, field: String, line: Int) -> IngestError {
        guard let last = text.last else { return IngestError(line: line, reason: "field \(field) has an empty value") }
        let body = UnsafeRawBufferPointer(rebasing: text.dropLast())
        if last == UInt8(ascii: "i"), case .overflow = NumberParsing.int64(body) {
            return failure("integer", text, field, line, "is out of range for a 64-bit integer")
        }
        if last == UInt8(ascii: "u") {
            switch NumberParsing.uint64(body) {
            case .value: return failure("unsigned", text, field, line, "could not be read")
            case .overflow: return failure("unsigned", text, field, line, "is out of range for a 64-bit unsigned integer")
            case .invalid: break
            }
        }
        return floatError(text, field: field, line: line)
    }

    /// A float in the common decimal grammar; `inf` and `nan` are rejected with a hint.
    static func float(_ text: UnsafeRawBufferPointer, field: String, line: Int) throws(IngestError) -> FieldValue {
        if case .value(let v) = NumberParsing.double(text) { return .float(v) }
        throw floatError(text, field: field, line: line)
    }

    private static func floatError(_ text: UnsafeRawBufferPointer, field: String, line: Int) -> IngestError {
        if case .overflow = NumberParsing.double(text) {
            return failure("number", text, field, line, "is out of range for a 64-bit float")
        }
        let lowered = String(decoding: text, as: UTF8.self).lowercased()
        if lowered.contains("inf") || lowered.contains("nan") {
            return failure("value", text, field, line, "is not allowed (infinity and NaN are not supported)")
        }
        return failure("value", text, field, line, "is not a number")
    }

    /// `true`/`false`, plus when `lineProtocolForms` the forms line protocol allows:
    /// `t`, `T`, `True`, `TRUE` and likewise for false.
    static func boolean(_ text: UnsafeRawBufferPointer, lineProtocolForms: Bool) -> Bool? {
        switch text.count {
        case 1 where lineProtocolForms:
            if text[0] == UInt8(ascii: "t") || text[0] == UInt8(ascii: "T") { return true }
            if text[0] == UInt8(ascii: "f") || text[0] == UInt8(ascii: "F") { return false }
        case 4:
            if text.elementsEqual("true".utf8) { return true }
            if lineProtocolForms && (text.elementsEqual("True".utf8) || text.elementsEqual("TRUE".utf8)) { return true }
        case 5:
            if text.elementsEqual("false".utf8) { return false }
            if lineProtocolForms && (text.elementsEqual("False".utf8) || text.elementsEqual("FALSE".utf8)) { return false }
        default:
            break
        }
        return nil
    }

    private static func failure(
        _ kind: String, _ text: UnsafeRawBufferPointer, _ field: String, _ line: Int, _ why: String
    ) -> IngestError {
        IngestError(line: line, reason: "\(kind) \(NameRules.quoted(text)) for field \(field) \(why)")
    }
}
