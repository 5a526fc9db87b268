/// Parses InfluxDB line protocol, `measurement[,tag=value...] field=value[,...] [timestamp]`,
/// one line at a time, into a reusable ``ParsedRecord``.
///
/// How line protocol maps onto the store, which has devices and fields but no
/// measurements or tags:
/// - **Device**: the value of the tag named `deviceTag` (default `device`). Without
///   that tag the device is the series key, the measurement followed by all tags
///   sorted by key, escaped as in line protocol: `weather,room=hall,site=b`.
///   Other tags are dropped.
/// - **Field name**: the field key exactly as written. The measurement is not part of
///   the name (it is used only in the series-key fallback), so `cpu usage=1` and
///   `mem usage=2` for the same device write the same field.
/// - **Values**: floats (`1`, `-1.5`, `2e3`), integers `12i`, unsigned `12u` (stored
///   as integers; above Int64.max is an error) and booleans (`t`, `T`, `true`, `True`,
///   `TRUE` and the `f` forms). String values, `inf` and `nan` are rejected.
/// - **Timestamp**: an integer in `precision`, scaled to nanoseconds; absent means
///   "now", left to the caller.
///
/// Blank lines and `#` comments return `false`. A duplicate field key on one line:
/// the last value wins. Everything else malformed throws an ``IngestError``.
package struct LineProtocolParser {
    /// The tag whose value names the device.
    package let deviceTag: String
    /// The unit of the timestamps in the input.
    package let precision: TimestampPrecision

    private let deviceTagBytes: [UInt8]
    private var names = NameInterner()
    /// Unescaped measurement, tag and field-key bytes of the current line.
    private var scratch: [UInt8] = []
    /// The series key being built when there is no device tag.
    private var seriesKey: [UInt8] = []
    private var tags: [(key: Range<Int>, value: Range<Int>)] = []

    /// Creates a parser that takes the device from tag `deviceTag` and reads integer
    /// timestamps in `precision`.
    package init(deviceTag: String = "device", precision: TimestampPrecision = .ns) {
        self.deviceTag = deviceTag
        self.precision = precision
        self.deviceTagBytes = Array(deviceTag.utf8)
        scratch.reserveCapacity(1024)
        seriesKey.reserveCapacity(256)
    }

    /// Parses one line (without its newline) into `record`, which is reset first.
    /// Returns `false` for a blank or comment line, which the caller should skip;
    /// throws for a malformed line with the reason and `lineNumber`.
    package mutating func parse(
        _ line: UnsafeRawBufferPointer, lineNumber: Int, into record: inout ParsedRecord
    ) throws(IngestError) -> Bool {
        record.reset()
        var cursor = LineCursor(bytes: line, lineNumber: lineNumber)
        cursor.skipBlanks()
        if cursor.atEnd || cursor.peek == UInt8(ascii: "#") { return false }
        scratch.removeAll(keepingCapacity: true)
        tags.removeAll(keepingCapacity: true)

        let measurement = try cursor.readName(into: &scratch, stops: .measurement, escapes: .measurement)
        guard !measurement.isEmpty else { throw cursor.error("missing measurement") }
        while cursor.peek == UInt8(ascii: ",") {
            cursor.advance()
            let key = try cursor.readName(into: &scratch, stops: .key, escapes: .names)
            guard cursor.peek == UInt8(ascii: "=") else {
                throw cursor.error("tag key \(quoted(key)) has no '=value'")
            }
            guard !key.isEmpty else { throw cursor.error("empty tag key") }
            cursor.advance()
            let value = try cursor.readName(into: &scratch, stops: .tagValue, escapes: .names)
            if cursor.peek == UInt8(ascii: "=") {
                throw cursor.error("unescaped '=' in the value of tag \(quoted(key))")
            }
            guard !value.isEmpty else { throw cursor.error("tag \(quoted(key)) has an empty value") }
            tags.append((key, value))
        }
        guard cursor.peek == UInt8(ascii: " ") else { throw cursor.error("missing fields") }
        cursor.skipBlanks()
        guard !cursor.atEnd else { throw cursor.error("missing fields") }

        record.device = try device(measurement: measurement, line: lineNumber)
        try parseFields(&cursor, into: &record)

        cursor.skipBlanks()
        if !cursor.atEnd {
            let text = cursor.readUntilBlank()
            switch NumberParsing.int64(text) {
            case .value(let t):
                do { record.timestamp = try precision.nanoseconds(t) } catch { throw cursor.error(error.reason) }
            case .overflow:
                throw cursor.error("timestamp \(NameRules.quoted(text)) is out of range")
            case .invalid:
                throw cursor.error("invalid timestamp \(NameRules.quoted(text))")
            }
            cursor.skipBlanks()
            guard cursor.atEnd else {
                throw cursor.error("unexpected text after the timestamp: \(NameRules.quoted(cursor.rest))")
            }
        }
        return true
    }

    private mutating func parseFields(_ cursor: inout LineCursor, into record: inout ParsedRecord) throws(IngestError) {
        repeat {
            if cursor.peek == UInt8(ascii: ",") { cursor.advance() }
            let keyRange = try cursor.readName(into: &scratch, stops: .key, escapes: .names)
            guard cursor.peek == UInt8(ascii: "=") else {
                throw cursor.error(keyRange.isEmpty ? "missing field" : "field \(quoted(keyRange)) has no '=value'")
            }
            let name = try names.intern(scratch, keyRange, what: "field name", line: cursor.lineNumber)
            cursor.advance()
            if cursor.peek == UInt8(ascii: "\"") {
                try cursor.skipQuotedString(field: name)
                throw cursor.error("string field \(name) is not supported")
            }
            let text = cursor.readFieldValue()
            record.set(name, try FieldValueText.lineProtocol(text, field: name, line: cursor.lineNumber))
        } while cursor.peek == UInt8(ascii: ",")
        if !cursor.atEnd && cursor.peek != UInt8(ascii: " ") {
            throw cursor.error("unexpected character in the field set")
        }
    }

    /// The device tag's value or, without one, the escaped series key.
    private mutating func device(measurement: Range<Int>, line: Int) throws(IngestError) -> String {
        var found: Range<Int>?
        scratch.withUnsafeBytes { buf in
            deviceTagBytes.withUnsafeBytes { want in
                for tag in tags where NameInterner.equal(UnsafeRawBufferPointer(rebasing: buf[tag.key]), want) {
                    found = tag.value
                }
            }
        }
        if let found {
            return try names.intern(scratch, found, what: "device", line: line)
        }
        let bytes = scratch
        tags.sort { bytes[$0.key].lexicographicallyPrecedes(bytes[$1.key]) }
        seriesKey.removeAll(keepingCapacity: true)
        Self.appendEscaped(bytes[measurement], to: &seriesKey, isMeasurement: true)
        for tag in tags {
            seriesKey.append(UInt8(ascii: ","))
            Self.appendEscaped(bytes[tag.key], to: &seriesKey, isMeasurement: false)
            seriesKey.append(UInt8(ascii: "="))
            Self.appendEscaped(bytes[tag.value], to: &seriesKey, isMeasurement: false)
        }
        return try names.intern(
            seriesKey, 0..<seriesKey.count, what: "device (series key; add a \(deviceTag) tag to name it)", line: line)
    }

    private static func appendEscaped(_ bytes: ArraySlice<UInt8>, to out: inout [UInt8], isMeasurement: Bool) {
        for b in bytes {
            if b == UInt8(ascii: ",") || b == UInt8(ascii: " ") || (!isMeasurement && b == UInt8(ascii: "=")) {
                out.append(UInt8(ascii: "\\"))
            }
            out.append(b)
        }
    }

    private func quoted(_ range: Range<Int>) -> String {
        scratch.withUnsafeBytes { NameRules.quoted(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }
}
