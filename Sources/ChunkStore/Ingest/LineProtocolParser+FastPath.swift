/// The parser's fast path: the common shape of a line, `measurement,tags fields timestamp`
/// with the device tag present, no escapes, no quoted strings and ASCII field names, read
/// straight from the bytes into a ``LineProtocolRow`` (ids and 64-bit payloads, no Strings).
///
/// It never reports an error: anything unusual or wrong makes it return false, and the
/// caller then runs ``LineProtocolParser/parse(_:lineNumber:into:)``, which handles every
/// form and words every error. For a line it does accept, it gives the same device, fields
/// (same order, same values, bit for bit) and timestamp as `parse`.
extension LineProtocolParser {
    private static let comma = UInt8(ascii: ","), space = UInt8(ascii: " "), equals = UInt8(ascii: "=")
    private static let backslash = UInt8(ascii: "\\"), tab = UInt8(ascii: "\t"), cr = UInt8(ascii: "\r")

    /// Parses `line` into `row` when it has the common shape; false otherwise (blank and
    /// comment lines included), with `row` then meaningless.
    mutating func parseFast(_ line: UnsafeRawBufferPointer, into row: inout LineProtocolRow) -> Bool {
        guard let p = line.baseAddress, !line.isEmpty else { return false }
        let n = line.count
        let first = p.load(as: UInt8.self)
        if first == Self.space || first == Self.tab || first == Self.cr || first == UInt8(ascii: "#") { return false }

        // Measurement: only checked for being there; the device comes from its tag.
        var i = ByteScan.find(p, from: 0, to: n, Self.comma, Self.space, Self.backslash, Self.backslash)
        guard i > 0, i < n, p.load(fromByteOffset: i, as: UInt8.self) != Self.backslash else { return false }
        var deviceStart = -1, deviceEnd = -1
        fastTagKeys.removeAll(keepingCapacity: true)
        while p.load(fromByteOffset: i, as: UInt8.self) == Self.comma {
            let keyStart = i + 1
            let keyEnd = ByteScan.find(p, from: keyStart, to: n, Self.comma, Self.space, Self.equals, Self.backslash)
            guard keyEnd > keyStart, keyEnd < n, p.load(fromByteOffset: keyEnd, as: UInt8.self) == Self.equals else { return false }
            // A repeated tag key is an error: `parse` words it.
            for earlier in fastTagKeys where earlier.count == keyEnd - keyStart
                && NameInterner.equal(UnsafeRawBufferPointer(start: p + earlier.lowerBound, count: earlier.count),
                                      UnsafeRawBufferPointer(start: p + keyStart, count: earlier.count)) {
                return false
            }
            fastTagKeys.append(keyStart..<keyEnd)
            let valueEnd = ByteScan.find(p, from: keyEnd + 1, to: n, Self.comma, Self.space, Self.equals, Self.backslash)
            guard valueEnd > keyEnd + 1, valueEnd < n else { return false }
            let stop = p.load(fromByteOffset: valueEnd, as: UInt8.self)
            guard stop == Self.comma || stop == Self.space else { return false }
            // The last device tag wins, as in `parse`.
            if isDeviceTag(UnsafeRawBufferPointer(start: p + keyStart, count: keyEnd - keyStart)) {
                deviceStart = keyEnd + 1
                deviceEnd = valueEnd
            }
            i = valueEnd
        }
        // Without a device tag the device is the sorted series key: `parse`'s work.
        guard deviceStart >= 0 else { return false }
        i = Self.skipBlanks(p, i, n)
        guard i < n else { return false }
        guard let device = names.lookupID(UnsafeRawBufferPointer(start: p + deviceStart, count: deviceEnd - deviceStart),
                                          hint: deviceHint) else { return false }
        deviceHint = device.id
        row.deviceID = device.id

        guard let afterFields = parseFields(p, i, n, into: &row) else { return false }
        i = Self.skipBlanks(p, afterFields, n)
        if i == n {
            row.timestamp = nil
            return true
        }
        guard let (t, end) = Self.timestamp(p, i, n), Self.skipBlanks(p, end, n) == n else { return false }
        let scaled = t.multipliedReportingOverflow(by: precision.multiplier(for: t))
        guard !scaled.overflow else { return false }
        row.timestamp = scaled.partialValue
        return true
    }

    /// Reads `key=value[,key=value...]` from `i`; the index after the last value, or nil.
    private mutating func parseFields(_ p: UnsafeRawPointer, _ start: Int, _ n: Int,
                                      into row: inout LineProtocolRow) -> Int? {
        var i = start
        var k = 0
        var full = false
        let end = row.shapes.withUnsafeMutableBufferPointer { shapes in
          row.values.withUnsafeMutableBufferPointer { values -> Int? in
            while true {
                let keyEnd = ByteScan.find(p, from: i, to: n, Self.comma, Self.space, Self.equals, Self.backslash)
                guard keyEnd > i, keyEnd < n, p.load(fromByteOffset: keyEnd, as: UInt8.self) == Self.equals else { return nil }
                guard k < shapes.count else { full = true; return nil }
                let hint = k < fieldHints.count ? fieldHints[k] : -1
                // A non-ASCII name may equal another as a String but not in bytes: `parse`
                // merges such duplicates by String comparison.
                guard let field = names.lookupID(UnsafeRawBufferPointer(start: p + i, count: keyEnd - i), hint: hint),
                      field.isASCII else { return nil }
                if k >= fieldHints.count {
                    fieldHints.append(field.id)
                } else if fieldHints[k] != field.id {
                    fieldHints[k] = field.id
                }
                // A repeated key (the last value wins) is left to `parse`.
                for j in 0..<k where LineProtocolRow.id(ofShape: shapes[j]) == field.id { return nil }
                guard let (bits, type, valueEnd) = Self.value(p, keyEnd + 1, n) else { return nil }
                shapes[k] = LineProtocolRow.shape(id: field.id, type: type)
                values[k] = bits
                k += 1
                i = valueEnd
                guard i < n, p.load(fromByteOffset: i, as: UInt8.self) == Self.comma else { return i }
                i += 1
            }
          }
        }
        row.count = k
        // A line wider than the slots goes to `parse` once; the next one fits.
        if full { row.makeRoom(for: 2 * k) }
        return end
    }

    /// A field value from `start`: its payload, type and the index after it. Plain
    /// decimals and `123i` are read here in one pass; every other form goes through
    /// ``FieldValueText/lineProtocolValue(_:)``, so both paths agree on every value.
    private static func value(_ p: UnsafeRawPointer, _ start: Int, _ n: Int) -> (UInt64, FieldType, Int)? {
        var i = start
        var negative = false
        if i < n, p.load(fromByteOffset: i, as: UInt8.self) == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        var mantissa: UInt64 = 0
        let digitsStart = i
        i = readDigits(p, i, n, into: &mantissa)
        let intDigits = i - digitsStart
        let next = i < n ? p.load(fromByteOffset: i, as: UInt8.self) : comma
        if next == UInt8(ascii: "i"), intDigits > 0, intDigits <= 18, ends(p, i + 1, n) {
            // 18 digits cannot overflow an Int64.
            let magnitude = Int64(mantissa)
            return (UInt64(bitPattern: negative ? -magnitude : magnitude), .int, i + 1)
        }
        var fractionDigits = 0
        if next == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            i = readDigits(p, i, n, into: &mantissa)
            fractionDigits = i - fractionStart
        }
        let digits = intDigits + fractionDigits
        // Up to 19 digits the mantissa has not wrapped; up to 2^53 it is exact as a Double,
        // and so is 10^fractionDigits (at most 10^19): one correctly rounded division gives
        // the correctly rounded value, the same one `NumberParsing.double` computes.
        if digits > 0, digits <= 19, mantissa <= 1 << 53, ends(p, i, n) {
            var v = Double(mantissa) / NumberParsing.exactPowers[fractionDigits]
            if negative { v = -v }
            return (v.bitPattern, .float, i)
        }
        let end = ByteScan.find(p, from: start, to: n, comma, space, comma, space)
        guard let value = FieldValueText.lineProtocolValue(UnsafeRawBufferPointer(start: p + start, count: end - start)) else {
            return nil
        }
        return (value.storageBits, value.type, end)
    }

    /// Adds the decimal digits from `i` on to `value` (wrapping; callers count the digits)
    /// and returns the index after them. One moving pointer: the index-based loop kept
    /// three counters in step.
    @inline(__always)
    private static func readDigits(_ p: UnsafeRawPointer, _ i: Int, _ n: Int, into value: inout UInt64) -> Int {
        var q = p + i
        let end = p + n
        var v = value
        while q < end {
            let d = q.load(as: UInt8.self) &- UInt8(ascii: "0")
            if d >= 10 { break }
            v = v &* 10 &+ UInt64(d)
            q += 1
        }
        value = v
        return q - p
    }

    /// Whether a field value ends at `i`: the end, a comma or a space.
    @inline(__always)
    private static func ends(_ p: UnsafeRawPointer, _ i: Int, _ n: Int) -> Bool {
        i == n || p.load(fromByteOffset: i, as: UInt8.self) == comma || p.load(fromByteOffset: i, as: UInt8.self) == space
    }

    /// An integer timestamp from `start` up to a space, tab or the end, and that end.
    private static func timestamp(_ p: UnsafeRawPointer, _ start: Int, _ n: Int) -> (Int64, Int)? {
        var i = start
        var magnitude: UInt64 = 0
        // Nanosecond timestamps have 19 digits: eight at a time, then one at a time.
        while i + 8 <= n, let eight = eightDigits(p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
            magnitude = magnitude &* 100_000_000 &+ eight
            i += 8
        }
        while i < n {
            let d = p.load(fromByteOffset: i, as: UInt8.self) &- UInt8(ascii: "0")
            guard d < 10 else { break }
            magnitude = magnitude &* 10 &+ UInt64(d)
            i += 1
        }
        let blank = i == n || p.load(fromByteOffset: i, as: UInt8.self) == space || p.load(fromByteOffset: i, as: UInt8.self) == tab
        // 19 digits cannot wrap a UInt64. Signs, longer text and errors go the general way.
        if i > start, i - start <= 19, blank, magnitude <= UInt64(Int64.max) { return (Int64(magnitude), i) }
        var end = start
        while end < n, p.load(fromByteOffset: end, as: UInt8.self) != space, p.load(fromByteOffset: end, as: UInt8.self) != tab {
            end += 1
        }
        guard case .value(let t) = NumberParsing.int64(UnsafeRawBufferPointer(start: p + start, count: end - start)) else {
            return nil
        }
        return (t, end)
    }

    /// The value of eight ASCII digits loaded as a little-endian word (the first digit in
    /// the lowest byte), or nil when any byte is not a digit. A byte is a digit when its
    /// high nibble is 3 and stays 3 after adding 6; the conversion then combines
    /// neighbouring digits, pairs and quads with one multiply each.
    @inline(__always)
    static func eightDigits(_ word: UInt64) -> UInt64? {
        let w = UInt64(littleEndian: word)
        let nibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        guard (w & nibbles) | (((w &+ 0x0606_0606_0606_0606) & nibbles) >> 4) == 0x3333_3333_3333_3333 else { return nil }
        var v = w &- 0x3030_3030_3030_3030
        v = ((v & 0x0F0F_0F0F_0F0F_0F0F) &* 2561) >> 8
        v = ((v & 0x00FF_00FF_00FF_00FF) &* 6_553_601) >> 16
        return ((v & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) >> 32
    }

    @inline(__always)
    private static func skipBlanks(_ p: UnsafeRawPointer, _ start: Int, _ n: Int) -> Int {
        var i = start
        while i < n {
            let b = p.load(fromByteOffset: i, as: UInt8.self)
            guard b == space || b == tab || b == cr else { break }
            i += 1
        }
        return i
    }

    private func isDeviceTag(_ key: UnsafeRawBufferPointer) -> Bool {
        deviceTagBytes.withUnsafeBytes { NameInterner.equal(key, $0) }
    }

    /// The device name of an id from ``parseFast(_:into:)``, or nil if no longer cached.
    func deviceName(of id: Int) -> String? {
        names.name(of: id)
    }
}
