/// Float columns whose values are short decimals (sensor readings such as 234.84
/// or 0.418), stored exactly as integers `m` with `v == Double(m) / 10^k`.
///
/// Such readings were printed with a fixed number of decimals, so scaling by
/// `10^k` turns them into integers with small deltas, which ``IntegerCodec`` packs
/// far better than any XOR scheme can pack their binary fractions.
///
/// The rule, per column: `k` is the smallest value in 0...9 such that every value
/// `v` has an integer `m` with `|m| < 2^53` and `Double(m) / 10^k` (IEEE division,
/// round to nearest even) is bit-for-bit `v`. Values for which no `m` exists at
/// any such `k` (NaN, infinities, -0.0, subnormals, huge magnitudes, most
/// arbitrary binary fractions) disqualify the column, which then goes to
/// ``FloatXORCodec``. Both `m` and `10^k` are exact doubles, so the decoder's
/// single division is exactly reproducible.
///
/// Layout for `n` values: `k <u8>` (0...9) then the `n` mantissas `m` as
/// ``IntegerCodec`` (which writes nothing for n == 0).
enum FloatDecimalCodec {
    static let maxScale = 9
    private static let powersOfTen: [Double] = (0...maxScale).map { k in
        (0..<k).reduce(1.0) { acc, _ in acc * 10 }
    }
    /// 2^53: the integers below it in magnitude are exactly representable.
    private static let mantissaLimit: Double = 9_007_199_254_740_992

    /// The integer `m` such that `Double(m) / 10^k` reproduces `bits` exactly, if any.
    @inline(__always)
    static func mantissa(of bits: UInt64, scale k: Int) -> Int64? {
        let v = Double(bitPattern: bits)
        guard v.isFinite else { return nil }
        let power = powersOfTen[k]
        let scaled = (v * power).rounded(.toNearestOrEven)
        guard abs(scaled) < mantissaLimit else { return nil }
        let m = Int64(scaled)
        guard (Double(m) / power).bitPattern == bits else { return nil }
        return m
    }

    /// The smallest scale that represents every value exactly, or nil if none in 0...9 does.
    static func scale(for values: UnsafeBufferPointer<UInt64>) -> Int? {
        var k = 0
        var i = 0
        while i < values.count {
            if mantissa(of: values[i], scale: k) != nil {
                i += 1
                continue
            }
            repeat {
                k += 1
                if k > maxScale { return nil }
            } while mantissa(of: values[i], scale: k) == nil
            // Re-check the earlier values at the new scale rather than rely on the
            // (near-certain) property that a larger scale keeps them exact.
            i = 0
        }
        return k
    }

    /// Encodes `values` at scale `k`; returns false (writing nothing) if some value
    /// is not exact at that scale.
    static func encode(bits values: UnsafeBufferPointer<UInt64>, scale k: Int, into out: inout ByteWriter) -> Bool {
        guard (0...maxScale).contains(k) else { return false }
        var mantissas = [Int64]()
        mantissas.reserveCapacity(values.count)
        for bits in values {
            guard let m = mantissa(of: bits, scale: k) else { return false }
            mantissas.append(m)
        }
        out.appendU8(UInt8(k))
        IntegerCodec.encode(mantissas, into: &out)
        return true
    }

    /// Appends `count` payloads to `out`.
    static func decode(_ reader: inout ByteReader, count: Int, into out: inout [UInt64]) throws {
        let scaleOffset = reader.offset
        let k = Int(try reader.readU8())
        guard k <= maxScale else {
            throw FormatError(offset: scaleOffset, "decimal scale \(k) exceeds \(maxScale)")
        }
        let mantissaOffset = reader.offset
        guard count > 0 else {
            guard count == 0 else { throw FormatError(offset: reader.offset, "negative value count \(count)") }
            return
        }
        let power = powersOfTen[k]
        try PackedBlocks.checkCount(count - 1, reader)
        try out.appendUninitialized(count: count) { values in
            try IntegerCodec.decode(&reader, count: count, into: values)
            for i in 0..<count {
                let m = Int64(bitPattern: values[i])
                guard m.magnitude < (1 << 53) else {
                    throw FormatError(offset: mantissaOffset, "decimal mantissa \(m) is not below 2^53 in magnitude")
                }
                values[i] = (Double(m) / power).bitPattern
            }
        }
    }
}
