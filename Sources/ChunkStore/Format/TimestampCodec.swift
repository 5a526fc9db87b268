/// Timestamp columns: delta-of-delta over a common unit.
///
/// Sensor data arrives at a fixed period, so consecutive deltas are usually equal
/// and their differences (delta-of-delta, "dod") are zero. Timestamps are
/// nanoseconds, but periods are whole seconds or minutes: dividing every delta by
/// their greatest common divisor first keeps the occasional jitter or gap small.
/// A regular series then costs one byte per 128 rows before LZ4.
///
/// Any sequence must round-trip (unsorted, duplicates, Int64.min next to
/// Int64.max), so all arithmetic wraps mod 2^64; the GCD is taken over the deltas'
/// magnitudes as unsigned numbers, so it always divides them exactly.
///
/// Layout for `n` timestamps (n is known to the caller and not stored):
/// - n == 0: nothing.
/// - `first <zigzag uvarint>`; nothing more when n == 1.
/// - `unit <uvarint>`, the GCD `g >= 1` of `|d[i]|` for `d[i] = t[i] &- t[i-1]`
///   (1 when every delta is 0), then with `s[i] = sign(d[i]) * (|d[i]| / g)`:
/// - `s[1] <zigzag uvarint>`, then the `n - 2` values `zigzag(s[i] &- s[i-1])`,
///   i = 2..<n, as ``PackedBlocks``.
///
/// Decoding: `d[i] = s[i] &* g`, `t[i] = t[i-1] &+ d[i]`.
enum TimestampCodec {
    static func encode(_ timestamps: [Int64], into out: inout ByteWriter) {
        timestamps.withUnsafeBufferPointer { encode($0, into: &out) }
    }

    static func encode(_ t: UnsafeBufferPointer<Int64>, into out: inout ByteWriter) {
        guard let first = t.first else { return }
        out.appendZigZagVarint(first)
        let n = t.count
        guard n > 1 else { return }

        // The GCD only changes when a delta is not a multiple of it, which for regular
        // data is almost never: test divisibility by multiplication, run Euclid rarely.
        var unit: UInt64 = 0
        var divisor = ExactDivisor(1)
        for i in 1..<n {
            let m = (t[i] &- t[i - 1]).magnitude
            if unit != 0 && divisor.divides(m) { continue }
            unit = gcd(unit, m)
            if unit == 1 { break }
            if unit != 0 { divisor = ExactDivisor(unit) }
        }
        if unit == 0 { unit = 1 }
        if unit != divisor.divisor { divisor = ExactDivisor(unit) }
        out.appendUVarint(unit)

        @inline(__always)
        func scaledDelta(_ i: Int) -> UInt64 {
            let d = t[i] &- t[i - 1]
            let q = divisor.exactQuotient(d.magnitude)
            return d < 0 ? 0 &- q : q
        }
        var previous = scaledDelta(1)
        out.appendZigZagVarint(Int64(bitPattern: previous))
        guard n > 2 else { return }
        let dods = [UInt64](unsafeUninitializedCapacity: n - 2) { buffer, initialized in
            for i in 2..<n {
                let s = scaledDelta(i)
                buffer[i - 2] = ZigZag.encode(Int64(bitPattern: s &- previous))
                previous = s
            }
            initialized = n - 2
        }
        PackedBlocks.encode(dods, into: &out)
    }

    /// Appends `count` timestamps to `out`. Returns whether they are strictly increasing:
    /// found in the same loop, so chunk readers get the check chunks promise without
    /// another pass.
    @discardableResult
    static func decode(_ reader: inout ByteReader, count: Int, into out: inout [Int64]) throws -> Bool {
        guard count > 0 else {
            guard count == 0 else { throw FormatError(offset: reader.offset, "negative timestamp count \(count)") }
            return true
        }
        let first = try reader.readZigZagVarint()
        guard count > 1 else {
            out.append(first)
            return true
        }
        let unitOffset = reader.offset
        let unit = try reader.readUVarint()
        guard unit != 0 else { throw FormatError(offset: unitOffset, "timestamp unit is 0") }
        var scaled = UInt64(bitPattern: try reader.readZigZagVarint())

        try PackedBlocks.checkCount(count - 2, reader)
        var disorder: UInt8 = 0
        try out.appendUninitialized(count: count) { values in
            var t = first
            values[0] = first
            var next = t &+ Int64(bitPattern: scaled &* unit)
            disorder |= next <= t ? 1 : 0
            t = next
            values[1] = t
            guard count > 2 else { return }
            // The zigzagged delta-of-deltas are unpacked into the output and replaced,
            // in place, by the timestamps they lead to.
            try values.withMemoryRebound(to: UInt64.self, capacity: count) { raw in
                try PackedBlocks.decode(&reader, count: count - 2, into: raw + 2)
                for i in 2..<count {
                    scaled = scaled &+ UInt64(bitPattern: ZigZag.decode(raw[i]))
                    next = t &+ Int64(bitPattern: scaled &* unit)
                    disorder |= next <= t ? 1 : 0
                    t = next
                    raw[i] = UInt64(bitPattern: t)
                }
            }
        }
        return disorder == 0
    }

    private static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var x = a, y = b
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}
