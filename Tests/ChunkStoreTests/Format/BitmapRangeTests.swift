import Testing
@testable import ChunkStore

/// The word-at-a-time range operations of `Bitmap` against bit-by-bit answers, over
/// ranges that start and end on and off word boundaries.
@Suite struct BitmapRangeTests {
    @Test func rangesMatchBitByBit() {
        var rng = SeededRandom(seed: 11)
        for _ in 0..<2_000 {
            let count = Int.random(in: 0...300, using: &rng)
            let density = rng.pick([0.0, 0.5, 0.97, 1.0])
            var bits = Bitmap((0..<count).map { _ in rng.chance(density) })
            let lo = Int.random(in: 0...count, using: &rng), hi = Int.random(in: lo...count, using: &rng)
            #expect(bits.allSet(in: lo..<hi) == (lo..<hi).allSatisfy { bits[$0] })
            let before = (0..<count).map { bits[$0] }
            bits.setAll(in: lo..<hi)
            for i in 0..<count { #expect(bits[i] == ((lo..<hi).contains(i) || before[i])) }
            #expect(bits.count == count && bits.popCount == (0..<count).filter { bits[$0] }.count)
        }
    }
}
