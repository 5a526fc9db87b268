import ChunkStore
import Testing

/// `Store.appendLineProtocol`, the public entry to the line protocol parser that
/// `chunkstore serve` (and any service receiving lines itself) uses.
@Suite struct StoreLineProtocolTests {
    @Test func goodLinesAreAppendedAndBadOnesReported() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("db"))
        defer { try? store.close() }
        let body = """
            m,device=a v=1,n=2i 1767225600000
            # a comment

            m,device=a v=oops 1767225601000
            m,device=b v=3
            m,device=a n=true 1767225602000
            """
        let result = try store.appendLineProtocol(Array(body.utf8), precision: .ms, now: 1_767_225_699_000_000_000)
        #expect(result.rows == 2)
        #expect(result.points == 3)
        #expect(result.lines == 6)
        #expect(result.rejected.map(\.line) == [4, 6])
        #expect(result.rejected[0].description.hasPrefix("line 4: "))
        #expect(result.rejected[1].reason.contains("n"))
        let a = try store.range(device: "a")
        #expect(a.timestamps == [1_767_225_600_000_000_000])
        // A line without a timestamp gets `now`.
        #expect(try store.range(device: "b").timestamps == [1_767_225_699_000_000_000])
    }

    @Test func precisionScalesTimestamps() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("db"))
        defer { try? store.close() }
        for (precision, stamp) in [(TimestampPrecision.s, "1767225600"), (.ms, "1767225601000"), (.us, "1767225602000000"),
                                   (.ns, "1767225603000000000"), (.auto, "1767225604")] {
            let result = try store.appendLineProtocol(Array("m,device=d v=1 \(stamp)".utf8), precision: precision, now: 0)
            #expect(result.rows == 1, "\(precision)")
        }
        #expect(try store.range(device: "d").timestamps == (0..<5).map { 1_767_225_600_000_000_000 + Int64($0) * 1_000_000_000 })
    }

    @Test func aClosedStoreThrows() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("db"))
        try store.close()
        #expect(throws: StoreError.self) { try store.appendLineProtocol(Array("m,device=d v=1 1".utf8), now: 0) }
    }
}
