import CLZ4
import Testing
@testable import ChunkStore

/// The vector division step of decimal-float decoding gives, lane for lane, the bits a
/// scalar `Double(m) / 10^k` gives, for every scale and mantissas up to ±(2^53 - 1),
/// at every length around the four-lane step.
@Suite struct DecimalDivisionTests {
    @Test(.enabled(if: chunkstore_has_avx() != 0, "the vector path runs only on CPUs with AVX"))
    func vectorQuotientsEqualScalarOnes() {
        var rng = SeededRandom(seed: 77)
        let edges: [Int64] = [0, 1, -1, 5, -5, 9_999, (1 << 53) - 1, -((1 << 53) - 1), 1 << 52, 123_456_789]
        for k in 0...FloatDecimalCodec.maxScale {
            let power = FloatDecimalCodec.powerOfTen(k)
            for length in 0...13 {
                var mantissas = (0..<length).map { _ in
                    rng.chance(0.2) ? rng.pick(edges) : Int64.random(in: -((1 << 53) - 1)...((1 << 53) - 1), using: &rng)
                }
                if length > 0 && rng.chance(0.5) { mantissas[0] = rng.pick(edges) }
                var values = mantissas.map { UInt64(bitPattern: $0) }
                values.withUnsafeMutableBufferPointer { chunkstore_divide_mantissas_avx($0.baseAddress, $0.count, power) }
                for (m, v) in zip(mantissas, values) {
                    #expect(v == (Double(m) / power).bitPattern, "k \(k), m \(m)")
                }
            }
        }
    }
}
