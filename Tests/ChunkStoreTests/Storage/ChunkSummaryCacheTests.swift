import Testing
@testable import ChunkStore

/// The summary cache's own table: lookups by sequence, with day and offset checked, and a
/// bounded number of entries.
@Suite struct ChunkSummaryCacheTests {
    private func summary(_ rows: Int) -> ChunkSummary {
        ChunkSummary(header: ChunkHeader(device: "d", day: 0, rowCount: rows, minTimestamp: 0, maxTimestamp: 0, sequence: 0,
                                         walLSN: 0, fields: [], timestampsOffset: 0, timestampsLength: 0),
                     rollup: nil)
    }

    @Test func findsWhatWasInsertedAndNothingElse() {
        let cache = ChunkSummaryCache(capacity: 1000)
        // Sequences that share low bits and a run of neighbours, so probes collide.
        let sequences: [UInt64] = (1...300).map { UInt64($0) } + (1...300).map { UInt64($0) << 32 }
        for (i, s) in sequences.enumerated() {
            cache.insert(summary(i), for: .init(day: 1, offset: i, sequence: s))
        }
        for (i, s) in sequences.enumerated() {
            #expect(cache.summary(.init(day: 1, offset: i, sequence: s))?.header.rowCount == i)
            // The same sequence under another day or offset is a miss, never a wrong summary.
            #expect(cache.summary(.init(day: 2, offset: i, sequence: s)) == nil)
            #expect(cache.summary(.init(day: 1, offset: i + 1, sequence: s)) == nil)
        }
        #expect(cache.summary(.init(day: 1, offset: 0, sequence: 301)) == nil)
        // Inserting an existing sequence replaces its entry.
        cache.insert(summary(7_000), for: .init(day: 1, offset: 5, sequence: 6))
        #expect(cache.summary(.init(day: 1, offset: 5, sequence: 6))?.header.rowCount == 7_000)
    }

    @Test func startsOverWhenFull() {
        let cache = ChunkSummaryCache(capacity: 8)
        for s in 1...8 { cache.insert(summary(s), for: .init(day: 0, offset: 0, sequence: UInt64(s))) }
        #expect((1...8).allSatisfy { cache.summary(.init(day: 0, offset: 0, sequence: UInt64($0))) != nil })
        cache.insert(summary(9), for: .init(day: 0, offset: 0, sequence: 9))
        #expect(cache.summary(.init(day: 0, offset: 0, sequence: 9))?.header.rowCount == 9)
        #expect((1...8).allSatisfy { cache.summary(.init(day: 0, offset: 0, sequence: UInt64($0))) == nil })
    }
}
