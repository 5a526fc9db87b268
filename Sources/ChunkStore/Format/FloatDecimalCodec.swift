import CLZ4

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

    /// Whether the division step can run four lanes at a time (AVX); each lane is the
    /// same correctly rounded quotient as a scalar division.
    static let vectorDivision = chunkstore_has_avx() != 0

    /// `10^k` for k in 0...9, exact as doubles. A switch rather than a global table, which
    /// would cost a lazy-initialisation check on every access in the per-value loops.
    @inline(__always)
    static func powerOfTen(_ k: Int) -> Double {
        switch k {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1_000
        case 4: 10_000
        case 5: 100_000
        case 6: 1_000_000
        case 7: 10_000_000
        case 8: 100_000_000
        default: 1_000_000_000
        }
    }

    /// 2^53: the integers below it in magnitude are exactly representable.
    private static let mantissaLimit: Double = 9_007_199_254_740_992

    /// The integer `m` such that `Double(m) / 10^k` reproduces `bits` exactly, if any:
    /// the rule itself, value by value (see ``DecimalScan`` for the fast path).
    @inline(__always)
    static func mantissa(of bits: UInt64, scale k: Int) -> Int64? {
        let v = Double(bitPattern: bits)
        guard v.isFinite else { return nil }
        let power = powerOfTen(k)
        let scaled = (v * power).rounded(.toNearestOrEven)
        guard abs(scaled) < mantissaLimit else { return nil }
        let m = Int64(scaled)
        guard (Double(m) / power).bitPattern == bits else { return nil }
        return m
    }

    /// The smallest scale above `k` at which `bits` is exact, if any.
    static func nextScale(of bits: UInt64, above k: Int) -> Int? {
        var next = k + 1
        while next <= maxScale {
            if mantissa(of: bits, scale: next) != nil { return next }
            next += 1
        }
        return nil
    }

    /// The smallest scale that represents every value exactly, or nil if none in 0...9 does.
    static func scale(for values: UnsafeBufferPointer<UInt64>) -> Int? {
        var mantissas: [Int64] = []
        return DecimalScan.mantissas(values, into: &mantissas)
    }

    /// Encodes `values` at the smallest scale that represents them all (the rule above),
    /// finding it and the mantissas in one pass; returns false (writing nothing) if no
    /// scale does. `mantissas` is scratch space, kept to be reused across columns.
    static func encode(bits values: UnsafeBufferPointer<UInt64>, into out: inout ByteWriter,
                       mantissas: inout [Int64]) -> Bool {
        guard let k = DecimalScan.mantissas(values, into: &mantissas) else { return false }
        out.appendU8(UInt8(k))
        mantissas.withUnsafeBufferPointer { m in
            m.withMemoryRebound(to: UInt64.self) { IntegerCodec.encode(bits: UnsafeBufferPointer(rebasing: $0[0..<values.count]), into: &out) }
        }
        return true
    }

    /// Appends `count` payloads to `out`.
    static func decode(_ reader: inout ByteReader, count: Int, into out: inout [UInt64]) throws {
        guard let (k, mantissaOffset) = try readScale(&reader, count: count) else { return }
        try out.appendUninitialized(count: count) { try decodeMantissas(&reader, count: count, scale: k, at: mantissaOffset, into: $0) }
    }

    /// Writes `count` payloads to `out`, which has room for them; the same checks, in the
    /// same order, as the appending form.
    static func decode(_ reader: inout ByteReader, count: Int, into out: UnsafeMutablePointer<UInt64>) throws {
        guard let (k, mantissaOffset) = try readScale(&reader, count: count) else { return }
        try decodeMantissas(&reader, count: count, scale: k, at: mantissaOffset, into: out)
    }

    /// Reads and checks the scale byte and the value count: the scale and where the
    /// mantissas start, or nil when there are no values (after the scale byte).
    private static func readScale(_ reader: inout ByteReader, count: Int) throws -> (scale: Int, mantissaOffset: Int)? {
        let scaleOffset = reader.offset
        let k = Int(try reader.readU8())
        guard k <= maxScale else {
            throw FormatError(offset: scaleOffset, "decimal scale \(k) exceeds \(maxScale)")
        }
        let mantissaOffset = reader.offset
        guard count > 0 else {
            guard count == 0 else { throw FormatError(offset: reader.offset, "negative value count \(count)") }
            return nil
        }
        try PackedBlocks.checkCount(count - 1, reader)
        return (k, mantissaOffset)
    }

    /// Decodes `count` (at least 1) mantissas of scale `k` into `values` and turns them
    /// into payloads.
    private static func decodeMantissas(_ reader: inout ByteReader, count: Int, scale k: Int, at mantissaOffset: Int,
                                        into values: UnsafeMutablePointer<UInt64>) throws {
        let power = powerOfTen(k)
        let magnitudes = try IntegerCodec.decode(&reader, count: count, into: values)
        if magnitudes >= 1 << 53 {
            let offending = (0..<count).first(where: { Int64(bitPattern: values[$0]).magnitude >= 1 << 53 }) ?? 0
            let m = Int64(bitPattern: values[offending])
            throw FormatError(offset: mantissaOffset, "decimal mantissa \(m) is not below 2^53 in magnitude")
        }
        if Self.vectorDivision {
            chunkstore_divide_mantissas_avx(values, count, power)
        } else {
            for i in 0..<count { values[i] = (Double(Int64(bitPattern: values[i])) / power).bitPattern }
        }
    }
}
