import Testing
@testable import ChunkStore

/// The decoded-chunk cache: entries by chunk and field list, bounded by bytes of rows.
@Suite struct DecodedChunkCacheTests {
    private func rows(_ n: Int, value: UInt64 = 1) -> ColumnarRows {
        ColumnarRows(timestamps: (0..<n).map(Int64.init), columns: [
            FieldColumn(name: "p", type: .float, bits: Array(repeating: value, count: n), present: Bitmap(count: n, value: true)),
        ])
    }

    @Test func keyedByChunkAndFields() {
        let cache = DecodedChunkCache(capacityBytes: 1 << 20)
        let key = DecodedChunkCache.Key(day: 3, offset: 40, sequence: 9, fields: ["p"])
        cache.insert(rows(10, value: 7), for: key)
        #expect(cache.rows(key) == rows(10, value: 7))
        // Another field list, another offset or day under the same sequence: misses.
        #expect(cache.rows(.init(day: 3, offset: 40, sequence: 9, fields: nil)) == nil)
        #expect(cache.rows(.init(day: 3, offset: 41, sequence: 9, fields: ["p"])) == nil)
        #expect(cache.rows(.init(day: 4, offset: 40, sequence: 9, fields: ["p"])) == nil)
        #expect(DecodedChunkCache.bytes(of: rows(10)) == 10 * 8 + 10 * 8 + 2)
    }

    @Test func boundedByBytes() {
        // 100 rows take 1,613 bytes; a capacity of 8,000 holds four of them.
        let cache = DecodedChunkCache(capacityBytes: 8_000)
        let keys = (0..<5).map { DecodedChunkCache.Key(day: 0, offset: $0, sequence: UInt64($0), fields: nil) }
        for key in keys.prefix(4) { cache.insert(rows(100), for: key) }
        #expect(keys.prefix(4).allSatisfy { cache.rows($0) != nil })
        // The fifth would pass the bound: the cache starts over with it alone.
        cache.insert(rows(100), for: keys[4])
        #expect(cache.rows(keys[4]) != nil)
        #expect(keys.prefix(4).allSatisfy { cache.rows($0) == nil })
        // Rows larger than a quarter of the capacity are not kept at all.
        let big = DecodedChunkCache.Key(day: 0, offset: 9, sequence: 99, fields: nil)
        cache.insert(rows(200), for: big)
        #expect(cache.rows(big) == nil)
        #expect(cache.rows(keys[4]) != nil)
    }
}
