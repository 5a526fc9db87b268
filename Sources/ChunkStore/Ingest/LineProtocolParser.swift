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
///   exactly as `uint`, up to 2^64-1) and booleans (`t`, `T`, `true`, `True`,
///   `TRUE` and the `f` forms). String values, `inf` and `nan` are rejected.
/// - **Timestamp**: an integer in `precision`, scaled to nanoseconds; absent means
///   "now", left to the caller.
///
/// As InfluxData's reference decoder (line-protocol v2) does: blank lines, lines of
/// spaces only and `#` comments return `false` (leading spaces are skipped); a line whose
/// first byte after its leading spaces is a tab is rejected (the protocol separates with
/// spaces; a tab cannot start a measurement); a tag key repeated on one line is rejected
/// (which value would name the device?). A duplicate field key on one line: the last
/// value wins. Everything else malformed throws an ``IngestError``.
package struct LineProtocolParser {
    /// The tag whose value names the device.
    package let deviceTag: String
    /// The unit of the timestamps in the input.
    package let precision: TimestampPrecision

    let deviceTagBytes: [UInt8]
    var names = NameInterner()
    /// Unescaped names of the current line that had escapes, and (without a device tag)
    /// copies of the measurement and tags for the series key.
    private var scratch: [UInt8] = []
    /// The series key being built when there is no device tag.
    private var seriesKey: [UInt8] = []
    private var tags: [(key: LineCursor.Name, value: LineCursor.Name)] = []
    /// The name id met at each field position on the previous line: lines repeat their
    /// field order, so this is the interner's first guess.
    var fieldHints: [Int] = []
    var deviceHint = -1
    /// Ids of the current line's fields in record order, to spot a repeated key.
    private var lineIDs: [Int] = []
    /// The fast path's tag keys of the current line, to spot a repeated one.
    var fastTagKeys: [Range<Int>] = []

    /// Creates a parser that takes the device from tag `deviceTag` and reads integer
    /// timestamps in `precision`.
    package init(deviceTag: String = "device", precision: TimestampPrecision = .auto) {
        self.deviceTag = deviceTag
        self.precision = precision
        self.deviceTagBytes = Array(deviceTag.utf8)
        scratch.reserveCapacity(1024)
        seriesKey.reserveCapacity(256)
        fieldHints.reserveCapacity(16)
        lineIDs.reserveCapacity(16)
        fastTagKeys.reserveCapacity(16)
    }

    /// Parses one line (without its newline) into `record`, which is reset first.
    /// Returns `false` for a blank or comment line, which the caller should skip;
    /// throws for a malformed line with the reason and `lineNumber`.
    package mutating func parse(
        _ line: UnsafeRawBufferPointer, lineNumber: Int, into record: inout ParsedRecord
    ) throws(IngestError) -> Bool {
        record.reset()
        var cursor = LineCursor(bytes: line, lineNumber: lineNumber)
        while cursor.peek == UInt8(ascii: " ") || cursor.peek == UInt8(ascii: "\r") { cursor.advance() }
        if cursor.atEnd || cursor.peek == UInt8(ascii: "#") { return false }
        if cursor.peek == UInt8(ascii: "\t") {
            throw cursor.error("the line starts with a tab; line protocol separates with spaces, and a measurement cannot start with a tab")
        }
        scratch.removeAll(keepingCapacity: true)
        tags.removeAll(keepingCapacity: true)

        let measurement = try cursor.readName(into: &scratch, stops: .measurement, escapes: .measurement)
        guard !measurement.isEmpty else { throw cursor.error("missing measurement") }
        while cursor.peek == UInt8(ascii: ",") {
            cursor.advance()
            let key = try cursor.readName(into: &scratch, stops: .key, escapes: .names)
            guard cursor.peek == UInt8(ascii: "=") else {
                throw cursor.error("tag key \(quoted(key, line)) has no '=value'")
            }
            guard !key.isEmpty else { throw cursor.error("empty tag key") }
            cursor.advance()
            let value = try cursor.readName(into: &scratch, stops: .tagValue, escapes: .names)
            if cursor.peek == UInt8(ascii: "=") {
                throw cursor.error("unescaped '=' in the value of tag \(quoted(key, line))")
            }
            guard !value.isEmpty else { throw cursor.error("tag \(quoted(key, line)) has an empty value") }
            if tags.contains(where: { sameBytes($0.key, key, in: line) }) {
                throw cursor.error("tag key \(quoted(key, line)) is repeated; each tag key may appear once per line")
            }
            tags.append((key, value))
        }
        guard cursor.peek == UInt8(ascii: " ") else { throw cursor.error("missing fields") }
        cursor.skipBlanks()
        guard !cursor.atEnd else { throw cursor.error("missing fields") }

        let device = try device(measurement: measurement, in: line, lineNumber: lineNumber)
        record.device = device.name
        record.deviceID = device.id
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
        lineIDs.removeAll(keepingCapacity: true)
        var position = 0
        // While every name is ASCII, equal ids are exactly equal Strings; after a
        // non-ASCII name, Unicode equivalence needs the String comparison of `set`.
        var allASCII = true
        repeat {
            if cursor.peek == UInt8(ascii: ",") { cursor.advance() }
            let key = try cursor.readName(into: &scratch, stops: .key, escapes: .names)
            guard cursor.peek == UInt8(ascii: "=") else {
                throw cursor.error(key.isEmpty ? "missing field" : "field \(quoted(key, cursor.bytes)) has no '=value'")
            }
            let hint = position < fieldHints.count ? fieldHints[position] : -1
            let entry = try intern(key, in: cursor.bytes, hint: hint, what: "field name", lineNumber: cursor.lineNumber)
            if position < fieldHints.count { fieldHints[position] = entry.id } else { fieldHints.append(entry.id) }
            position += 1
            cursor.advance()
            if cursor.peek == UInt8(ascii: "\"") {
                try cursor.skipQuotedString(field: entry.name)
                throw cursor.error("string field \(entry.name) is not supported")
            }
            let text = cursor.readFieldValue()
            let value = try FieldValueText.lineProtocol(text, field: entry.name, line: cursor.lineNumber)
            allASCII = allASCII && entry.isASCII
            if !allASCII {
                record.set(entry.name, value)
            } else if let earlier = lineIDs.firstIndex(of: entry.id) {
                record.fields[earlier].value = value
            } else {
                lineIDs.append(entry.id)
                record.fields.append((name: entry.name, value: value))
            }
        } while cursor.peek == UInt8(ascii: ",")
        if !cursor.atEnd && cursor.peek != UInt8(ascii: " ") {
            throw cursor.error("unexpected character in the field set")
        }
    }

    /// The device tag's value or, without one, the escaped series key.
    private mutating func device(measurement: LineCursor.Name, in line: UnsafeRawBufferPointer,
                                 lineNumber: Int) throws(IngestError) -> NameInterner.Interned {
        var found: LineCursor.Name?
        for tag in tags where withBytes(tag.key, in: line, { key in
            deviceTagBytes.withUnsafeBytes { NameInterner.equal(key, $0) }
        }) {
            found = tag.value
        }
        if let found {
            let entry = try intern(found, in: line, hint: deviceHint, what: "device", lineNumber: lineNumber)
            deviceHint = entry.id
            return entry
        }
        // No device tag: gather every name in scratch to build the sorted series key.
        let measurementRange = copyToScratch(measurement, from: line)
        for i in tags.indices {
            tags[i].key = LineCursor.Name(range: copyToScratch(tags[i].key, from: line), inScratch: true)
            tags[i].value = LineCursor.Name(range: copyToScratch(tags[i].value, from: line), inScratch: true)
        }
        let bytes = scratch
        tags.sort { bytes[$0.key.range].lexicographicallyPrecedes(bytes[$1.key.range]) }
        seriesKey.removeAll(keepingCapacity: true)
        Self.appendEscaped(bytes[measurementRange], to: &seriesKey, isMeasurement: true)
        for tag in tags {
            seriesKey.append(UInt8(ascii: ","))
            Self.appendEscaped(bytes[tag.key.range], to: &seriesKey, isMeasurement: false)
            seriesKey.append(UInt8(ascii: "="))
            Self.appendEscaped(bytes[tag.value.range], to: &seriesKey, isMeasurement: false)
        }
        return try names.lookup(
            seriesKey, 0..<seriesKey.count, hint: -1, what: "device (series key; add a \(deviceTag) tag to name it)", line: lineNumber)
    }

    /// Interns a name wherever it lies, the line or the scratch buffer.
    private mutating func intern(
        _ name: LineCursor.Name, in line: UnsafeRawBufferPointer, hint: Int, what: String, lineNumber: Int
    ) throws(IngestError) -> NameInterner.Interned {
        if name.inScratch {
            return try names.lookup(scratch, name.range, hint: hint, what: what, line: lineNumber)
        }
        return try names.lookup(UnsafeRawBufferPointer(rebasing: line[name.range]), hint: hint, what: what, line: lineNumber)
    }

    /// Where `name` lies in scratch, copying it there if it is in the line.
    private mutating func copyToScratch(_ name: LineCursor.Name, from line: UnsafeRawBufferPointer) -> Range<Int> {
        if name.inScratch { return name.range }
        let start = scratch.count
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[name.range]))
        return start..<scratch.count
    }

    private func withBytes<R>(_ name: LineCursor.Name, in line: UnsafeRawBufferPointer,
                              _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if name.inScratch {
            return scratch.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[name.range])) }
        }
        return body(UnsafeRawBufferPointer(rebasing: line[name.range]))
    }

    /// Whether two names of the current line have the same (unescaped) bytes.
    private func sameBytes(_ a: LineCursor.Name, _ b: LineCursor.Name, in line: UnsafeRawBufferPointer) -> Bool {
        guard a.range.count == b.range.count else { return false }
        return withBytes(a, in: line) { x in withBytes(b, in: line) { y in NameInterner.equal(x, y) } }
    }

    private static func appendEscaped(_ bytes: ArraySlice<UInt8>, to out: inout [UInt8], isMeasurement: Bool) {
        for b in bytes {
            if b == UInt8(ascii: ",") || b == UInt8(ascii: " ") || (!isMeasurement && b == UInt8(ascii: "=")) {
                out.append(UInt8(ascii: "\\"))
            }
            out.append(b)
        }
    }

    private func quoted(_ name: LineCursor.Name, _ line: UnsafeRawBufferPointer) -> String {
        withBytes(name, in: line) { NameRules.quoted($0) }
    }
}
