/// Float columns of arbitrary doubles: Gorilla-style XOR against the previous
/// value, at bit level.
///
/// Consecutive readings share sign, exponent and high mantissa bits, so their XOR
/// has long runs of leading (and often trailing) zeros; only the "meaningful"
/// middle bits are stored. Works on raw bit patterns, so every payload survives:
/// NaNs with payloads, -0.0, infinities, subnormals.
///
/// Layout for `n` values, one ``BitWriter`` stream (fields least significant bit
/// first), zero-padded to a byte boundary at the end (decoders reject non-zero
/// padding); n == 0 writes nothing:
/// - first value: 64 bits.
/// - each next value, with `x = v[i] ^ v[i-1]`:
///   - `0` (1 bit): x == 0, same value.
///   - `1`, `0`: x fits the previous window; `len` bits follow, `x >> (64 - lead - len)`.
///   - `1`, `1`: new window: `lead <6 bits>` (leading zero count, 0...63),
///     `len - 1 <6 bits>` (len = 64 - lead - trailing zeros, 1...64), then `len` bits
///     as above. A decoder rejects `lead + len > 64`.
///   The window is (lead, len) of the most recent `1 1` record; a `1 0` before any
///   window exists is corrupt.
enum FloatXORCodec {
    static func encode(bits values: UnsafeBufferPointer<UInt64>, into out: inout ByteWriter) {
        guard let first = values.first else { return }
        var bits = BitWriter()
        bits.write(first, width: 64, to: &out)
        var previous = first
        var windowLead = -1  // no window yet
        var windowLength = 0
        for i in 1..<values.count {
            let v = values[i]
            let x = v ^ previous
            previous = v
            if x == 0 {
                bits.write(0, width: 1, to: &out)
                continue
            }
            let lead = x.leadingZeroBitCount
            let trail = x.trailingZeroBitCount
            let length = 64 - lead - trail
            let fitsWindow = windowLead >= 0 && lead >= windowLead
                && trail >= 64 - windowLead - windowLength
            // A new window costs 12 header bits; keep the old one unless it wastes more.
            if fitsWindow && windowLength <= length + 12 {
                bits.write(0b01, width: 2, to: &out)  // "1" then "0", LSB first
                bits.write(x >> UInt64(64 - windowLead - windowLength), width: windowLength, to: &out)
            } else {
                bits.write(0b11, width: 2, to: &out)
                bits.write(UInt64(lead), width: 6, to: &out)
                bits.write(UInt64(length - 1), width: 6, to: &out)
                bits.write(x >> UInt64(trail), width: length, to: &out)
                windowLead = lead
                windowLength = length
            }
        }
        bits.finish(to: &out)
    }

    /// Appends `count` payloads to `out`.
    static func decode(_ reader: inout ByteReader, count: Int, into out: inout [UInt64]) throws {
        guard count > 0 else {
            guard count == 0 else { throw FormatError(offset: reader.offset, "negative value count \(count)") }
            return
        }
        try checkCount(count, reader)
        try out.appendUninitialized(count: count) { try decode(&reader, count: count, into: $0) }
    }

    /// 64 bits for the first value, at least one per further value: refuse counts the
    /// bytes cannot hold before reserving memory for them.
    private static func checkCount(_ count: Int, _ reader: ByteReader) throws {
        guard count - 1 <= reader.remaining * 8 - 64 else {
            throw FormatError(offset: reader.offset, "\(count) XOR-coded values cannot fit in \(reader.remaining) bytes")
        }
    }

    /// Writes `count` (at least 1) payloads to `out`, which has room for them.
    static func decode(_ reader: inout ByteReader, count: Int, into out: UnsafeMutablePointer<UInt64>) throws {
        let base = reader.offset
        try checkCount(count, reader)
        var bits = BitReader(UnsafeRawBufferPointer(rebasing: reader.buffer[reader.offset...]), baseOffset: base)
        var previous = try bits.read(64)
        out[0] = previous
        var windowLead = -1
        var windowLength = 0
        for i in 1..<max(count, 1) {
            let control = try bits.read(1)
            if control == 0 {
                out[i] = previous
                continue
            }
            if try bits.read(1) == 1 {
                let lead = Int(try bits.read(6))
                let length = Int(try bits.read(6)) + 1
                guard lead + length <= 64 else {
                    throw FormatError(offset: base + bits.position / 8,
                                      "XOR window of \(length) bits after \(lead) leading zeros exceeds 64 bits")
                }
                windowLead = lead
                windowLength = length
            } else if windowLead < 0 {
                throw FormatError(offset: base + bits.position / 8, "XOR record reuses a window before any was set")
            }
            let meaningful = try bits.read(windowLength)
            previous ^= meaningful << UInt64(64 - windowLead - windowLength)
            out[i] = previous
        }
        try bits.checkZeroPadding()
        try reader.skip(bits.bytesConsumed)
    }
}
