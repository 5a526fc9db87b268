import Testing
@testable import ChunkStore

@Test func bitmapRoundTrip() {
    var b = Bitmap(count: 70, value: false)
    b[3] = true; b[69] = true
    #expect(b.popCount == 2)
    #expect(b[69] && b[3] && !b[4])
}
