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
}
