// Fuzz target: the ingest parsers and time parsing. Byte 0 picks the parser; the rest is
// split into lines (for CSV the first line is the header).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIngest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard size >= 1, let data else { return 0 }
    let selector = data[0]
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let lines = body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Array($0) }
    var record = ParsedRecord()
    switch selector % 4 {
    case 0:
        var parser = LineProtocolParser(deviceTag: "device", precision: selector & 0x10 == 0 ? .ns : .s)
        for (n, line) in lines.enumerated() {
            _ = line.withUnsafeBytes { try? parser.parse($0, lineNumber: n + 1, into: &record) }
        }
    case 1:
        var parser = CSVParser(precision: selector & 0x10 == 0 ? .ns : .ms,
                               separator: selector & 0x20 == 0 ? UInt8(ascii: ",") : UInt8(ascii: ";"))
        guard let header = lines.first else { return 0 }
        let ok = header.withUnsafeBytes { buffer -> Bool in
            (try? parser.parseHeader(buffer, lineNumber: 1)) != nil
        }
        for (n, line) in lines.dropFirst().enumerated() where ok {
            _ = line.withUnsafeBytes { try? parser.parse($0, lineNumber: n + 2, into: &record) }
        }
    case 2:
        var parser = JSONLinesParser(precision: selector & 0x10 == 0 ? .ns : .us)
        for (n, line) in lines.enumerated() {
            _ = line.withUnsafeBytes { try? parser.parse($0, lineNumber: n + 1, into: &record) }
        }
    default:
        for line in lines {
            _ = line.withUnsafeBytes { try? TimeParsing.parseRFC3339($0) }
            let text = String(decoding: line, as: UTF8.self)
            _ = try? TimeParsing.parseRFC3339(text)
            _ = try? TimeParsing.parseTimeArgument(text, now: 1_767_225_600_000_000_000)
            _ = try? TimeParsing.parseTimeArgument(text, now: .max)
            _ = try? TimeParsing.parseTimeArgument(text, now: .min)
            _ = try? TimeParsing.parseDuration(text)
        }
    }
    return 0
}
