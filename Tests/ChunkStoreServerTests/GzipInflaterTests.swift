import Testing
@testable import ChunkStoreServer

@Suite struct GzipInflaterTests {
    @Test func roundTripAndConcatenatedMembers() throws {
        let text = String(repeating: "m,device=d v=1 1767225600\n", count: 10_000)
        #expect(try GzipInflater.inflate(gzip(text), limit: 1 << 20) == Array(text.utf8))
        #expect(try GzipInflater.inflate(gzip("a\n") + gzip("b\n"), limit: 100) == Array("a\nb\n".utf8))
        #expect(try GzipInflater.inflate([], limit: 10) == [])
    }

    @Test func limitsAndDamage() {
        let packed = gzip(String(repeating: "x", count: 5000))
        #expect(throws: GzipInflater.Failure.tooLarge(limit: 4999)) { try GzipInflater.inflate(packed, limit: 4999) }
        #expect((try? GzipInflater.inflate(packed, limit: 5000))?.count == 5000)
        #expect(throws: GzipInflater.Failure.malformed("the gzip body is cut short")) {
            try GzipInflater.inflate(Array(packed.dropLast(8)), limit: 10_000)
        }
        #expect(throws: (any Error).self) { try GzipInflater.inflate(Array("plain text".utf8), limit: 100) }
    }
}
