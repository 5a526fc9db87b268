@testable import ChunkStore

/// Runs `body` on the UTF-8 bytes of `text`.
func withBytes<R>(_ text: String, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    var copy = text
    return try copy.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
}

/// What a parser made of one line: the record, `nil` for a skipped line, or the error.
enum Outcome {
    case record(ParsedRecord)
    case skipped
    case failed(IngestError)

    var record: ParsedRecord? {
        if case .record(let r) = self { return r }
        return nil
    }

    var reason: String? {
        if case .failed(let e) = self { return e.reason }
        return nil
    }

    var fields: [String: FieldValue] {
        var out: [String: FieldValue] = [:]
        for (name, value) in record?.fields ?? [] { out[name] = value }
        return out
    }
}

func run(_ text: String, line: Int = 1, _ parse: (UnsafeRawBufferPointer, Int, inout ParsedRecord) throws(IngestError) -> Bool) -> Outcome {
    var record = ParsedRecord()
    do {
        let kept = try withBytes(text) { bytes in
            Result { () throws(IngestError) -> Bool in try parse(bytes, line, &record) }
        }.get()
        return kept ? .record(record) : .skipped
    } catch {
        return .failed(error)
    }
}

func lp(_ text: String, deviceTag: String = "device", precision: TimestampPrecision = .ns) -> Outcome {
    var parser = LineProtocolParser(deviceTag: deviceTag, precision: precision)
    return run(text) { (b, n, r) throws(IngestError) in try parser.parse(b, lineNumber: n, into: &r) }
}

func jsonl(_ text: String, precision: TimestampPrecision = .ns) -> Outcome {
    var parser = JSONLinesParser(precision: precision)
    return run(text) { (b, n, r) throws(IngestError) in try parser.parse(b, lineNumber: n, into: &r) }
}
