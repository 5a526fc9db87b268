/// Division by a fixed 64-bit divisor without a divide instruction, for numbers the
/// divisor is known to divide (or to test whether it does).
///
/// The timestamp codec divides every delta by the deltas' GCD, and testing and dividing
/// with `%` and `/` costs a slow hardware division per row. With `d = 2^s * u`, `u` odd,
/// `u` has an inverse `u⁻¹` modulo 2^64, and for `x` that `d` divides,
/// `x / d == (x >> s) &* u⁻¹` exactly. Conversely `d` divides `x` exactly when the low `s`
/// bits of `x` are zero and `(x >> s) &* u⁻¹ <= UInt64.max / u` (the multiples of `u`
/// are exactly the numbers the multiplication maps into that range; Granlund and
/// Montgomery 1994, §9).
struct ExactDivisor {
    let divisor: UInt64
    private let shift: UInt64
    private let inverse: UInt64
    /// Largest quotient by the odd part, `UInt64.max / u`.
    private let limit: UInt64

    /// `divisor` must not be 0.
    init(_ divisor: UInt64) {
        precondition(divisor != 0, "division by zero")
        self.divisor = divisor
        let s = divisor.trailingZeroBitCount
        let odd = divisor >> UInt64(s)
        // Newton's iteration doubles the correct low bits: 3 (odd * odd ≡ 1 mod 8), 6, 12, 24, 48, 96.
        var x = odd
        for _ in 0..<5 { x = x &* (2 &- odd &* x) }
        shift = UInt64(s)
        inverse = x
        limit = UInt64.max / odd
    }

    /// Whether `divisor` divides `x`.
    @inline(__always)
    func divides(_ x: UInt64) -> Bool {
        let lowMask = (1 &<< shift) &- 1
        return x & lowMask == 0 && (x &>> shift) &* inverse <= limit
    }

    /// `x / divisor`; only meaningful when `divides(x)`.
    @inline(__always)
    func exactQuotient(_ x: UInt64) -> UInt64 {
        (x &>> shift) &* inverse
    }
}
