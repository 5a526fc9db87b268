import Testing
@testable import ChunkStore

@Suite struct FormatBitmapRangeTests {
    /// Every range of bitmaps around word boundaries equals the bit-by-bit copy.
    @Test func rangesEqualBitByBitCopies() {
        var state: UInt64 = 3
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        for count in [0, 1, 63, 64, 65, 127, 128, 129, 200] {
            let bools = (0..<count).map { _ in next() % 3 != 0 }
            let bitmap = Bitmap(bools)
            for lower in 0...count {
                for upper in lower...count where upper - lower < 70 || upper == count || (upper - lower) % 13 == 0 {
                    let part = Bitmap(bitmap, range: lower..<upper)
                    #expect(part == Bitmap(Array(bools[lower..<upper])), "\(count): \(lower)..<\(upper)")
                }
            }
        }
    }

    /// allSet(in:) and setAll(in:) against bit-by-bit answers, on and off word boundaries.
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
