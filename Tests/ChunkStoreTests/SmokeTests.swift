import Testing
@testable import ChunkStore

@Test func bitmapRoundTrip() {
    var b = Bitmap(count: 70, value: false)
    b[3] = true; b[69] = true
    #expect(b.popCount == 2)
    #expect(b[69] && b[3] && !b[4])
}

@Test func bitmapBulkAppendMatchesBitByBit() {
    var rng = SeededRandom(seed: 42)
    for _ in 0..<300 {
        var bulk = Bitmap(count: Int.random(in: 0...130, using: &rng), value: Bool.random(using: &rng))
        var slow = Bitmap(count: 0, value: false)
        for i in 0..<bulk.count { slow.append(bulk[i]) }
        if Bool.random(using: &rng) {
            let other = Bitmap((0..<Int.random(in: 0...200, using: &rng)).map { _ in Bool.random(using: &rng) })
            bulk.append(contentsOf: other)
            for i in 0..<other.count { slow.append(other[i]) }
        } else {
            let n = Int.random(in: 0...200, using: &rng), bit = Bool.random(using: &rng)
            bulk.append(repeating: bit, count: n)
            for _ in 0..<n { slow.append(bit) }
        }
        #expect(bulk == slow)
    }
}
