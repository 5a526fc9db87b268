import Testing
@testable import ChunkStore

/// Division by multiplication against the hardware's `%` and `/`.
@Suite struct FormatExactDivisorTests {
    @Test func agreesWithRemainderAndQuotient() {
        var rng = SeededRandom(seed: 5)
        var divisors: [UInt64] = [1, 2, 3, 5, 7, 10, 1 << 63, UInt64.max, UInt64.max - 1, 1_000_000,
                                  60_000_000_000, 1_000_000_007, (1 << 32) + 1]
        for _ in 0..<200 {
            let d = rng.next() >> UInt64(rng.next() % 64)
            if d != 0 { divisors.append(d) }
        }
        for d in divisors {
            let divisor = ExactDivisor(d)
            var xs: [UInt64] = [0, 1, d, d &* 2, d &* 3, UInt64.max, UInt64.max - 1, 1 << 63, d &- 1, d &+ 1]
            for _ in 0..<200 { xs.append(rng.next() >> UInt64(rng.next() % 64)) }
            for _ in 0..<200 {
                // Multiples of d, up to the largest that fits.
                let largest = UInt64.max / d
                let q = largest == .max ? rng.next() : rng.next() % (largest + 1)
                xs.append(q &* d)
            }
            for x in xs {
                let divides = x % d == 0
                #expect(divisor.divides(x) == divides, "\(d) | \(x)")
                if divides { #expect(divisor.exactQuotient(x) == x / d, "\(x) / \(d)") }
            }
        }
    }
}
