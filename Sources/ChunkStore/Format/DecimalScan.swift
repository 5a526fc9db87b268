/// Finds the decimal scale of a float column and its mantissas in one pass: the hot
/// part of ``FloatDecimalCodec``.
///
/// The rule (smallest `k` at which every value is exact) could be applied by trying
/// every value at k = 0, 1, ... and then computing the mantissas again. Instead:
///
/// - A lower bound: every value must be exact at `k`, and a value is never exact below
///   its own smallest scale, so the largest smallest-scale of a few sampled values
///   bounds `k` from below. Starting there, real data rarely needs another pass.
/// - Values are checked and converted at the current `k` in one step; a value that fails
///   raises `k` to its own next exact scale (again a lower bound) and the pass restarts.
/// - The per-value check avoids libm and branches: `x = v * 10^k` is rounded to an
///   integer by adding and subtracting 1.5 * 2^52 (exact round-half-even for
///   |x| < 2^50, where the sum's low mantissa bits are the integer itself), and
///   exactness is `(r / 10^k).bitPattern == v.bitPattern`, the rule's own division.
///   Whatever this cannot confirm (|x| >= 2^50, NaN, infinities) is decided by
///   ``FloatDecimalCodec/mantissa(of:scale:)``, the rule value by value.
enum DecimalScan {
    /// Sampled values that give the starting scale.
    static let sampleCount = 16

    /// Fills `mantissas[0..<values.count]` (growing it if needed) with the mantissas at
    /// the column's scale and returns that scale, or nil when no scale in 0...9 works.
    static func mantissas(_ values: UnsafeBufferPointer<UInt64>, into mantissas: inout [Int64]) -> Int? {
        let n = values.count
        guard var k = startingScale(values) else { return nil }
        if mantissas.count < n { mantissas.append(contentsOf: repeatElement(0, count: n - mantissas.count)) }
        return mantissas.withUnsafeMutableBufferPointer { m -> Int? in
            var i = 0
            while i < n {
                guard let bad = firstUnconfirmed(values, from: i, scale: k, into: m.baseAddress!) else { break }
                if let exact = FloatDecimalCodec.mantissa(of: values[bad], scale: k) {
                    m[bad] = exact
                    i = bad + 1
                    continue
                }
                guard let next = FloatDecimalCodec.nextScale(of: values[bad], above: k) else { return nil }
                k = next
                i = 0
            }
            return k
        }
    }

    /// The largest smallest-exact-scale among sampled values (the first few and some
    /// spread over the column), or nil if one of them is exact at no scale.
    private static func startingScale(_ values: UnsafeBufferPointer<UInt64>) -> Int? {
        let n = values.count
        var k = 0
        let step = max(1, n / (sampleCount / 2))
        for s in 0..<sampleCount {
            let i = s < sampleCount / 2 ? s : (s - sampleCount / 2) * step + step / 2
            guard i < n else { continue }
            if FloatDecimalCodec.mantissa(of: values[i], scale: k) != nil { continue }
            guard let next = FloatDecimalCodec.nextScale(of: values[i], above: k) else { return nil }
            k = next
        }
        return k
    }

    /// Converts values from `start` on at scale `k` into `m`; returns the index of the
    /// first value the fast check cannot confirm (its `m` is then meaningless), or nil.
    @inline(__always)
    private static func firstUnconfirmed(_ values: UnsafeBufferPointer<UInt64>, from start: Int, scale k: Int,
                                         into m: UnsafeMutablePointer<Int64>) -> Int? {
        let power = FloatDecimalCodec.powerOfTen(k)
        let magic: Double = 6_755_399_441_055_744  // 1.5 * 2^52
        let fastLimit: Double = 1_125_899_906_842_624  // 2^50
        let n = values.count
        var i = start
        while i < n {
            // Blocks without branches inside, so the loop can be vectorised; a block with
            // a failure is searched value by value.
            let end = min(i + 64, n)
            var bad: UInt64 = 0
            for j in i..<end {
                let bits = values[j]
                let x = Double(bitPattern: bits) * power
                let sum = x + magic
                let r = sum - magic
                m[j] = Int64(bitPattern: sum.bitPattern & 0x000F_FFFF_FFFF_FFFF) &- (1 << 51)
                bad |= ((r / power).bitPattern ^ bits) | (abs(x) < fastLimit ? 0 : 1)
            }
            if bad != 0 {
                for j in i..<end {
                    let bits = values[j]
                    let x = Double(bitPattern: bits) * power
                    let r = (x + magic) - magic
                    if (r / power).bitPattern != bits || !(abs(x) < fastLimit) { return j }
                }
            }
            i = end
        }
        return nil
    }
}
