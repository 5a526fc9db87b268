import Testing
@testable import ChunkStore

/// The ingest path remembers names, devices and field orders between lines; these check
/// that what it remembers never changes an answer.
@Suite struct IngestCacheTests {
    private func parseAll(_ lines: [String]) throws -> [ParsedRecord] {
        var parser = LineProtocolParser(precision: .ns)
        var record = ParsedRecord()
        var out: [ParsedRecord] = []
        for (n, text) in lines.enumerated() {
            if try withBytes(text, { try parser.parse($0, lineNumber: n + 1, into: &record) }) { out.append(record) }
        }
        return out
    }

    @Test func changingFieldOrderAndDuplicatesAcrossLines() throws {
        let records = try parseAll([
            "m,device=a x=1,y=2i", "m,device=a y=3i,x=4", "m,device=a x=5,x=6,y=7i", "m,device=b\\ c z=t,x=8",
        ])
        #expect(records.map(\.device) == ["a", "a", "a", "b c"])
        #expect(records[1].fields.map(\.name) == ["y", "x"])
        #expect(records[2].fields.map(\.name) == ["x", "y"])
        #expect(records[2].fields[0].value == .float(6))
        #expect(records[3].fields[0].value == .bool(true))
        #expect(records[0].deviceID == records[2].deviceID && records[0].deviceID != records[3].deviceID)
    }

    @Test func canonicallyEquivalentKeysAreOneField() throws {
        // U+212A KELVIN SIGN is canonically equivalent to "K": one field, the last value.
        let records = try parseAll(["m,device=a K=1,\u{212A}=2", "m,device=a \u{212A}=3,K=4"])
        #expect(records[0].fields.count == 1 && records[0].fields[0].value == .float(2))
        #expect(records[1].fields.count == 1 && records[1].fields[0].value == .float(4))
    }

    @Test func internerResetKeepsIdsDistinct() throws {
        var interner = NameInterner(limit: 2)
        var ids: [Int] = []
        for name in ["a", "b", "c", "a", "b"] {
            let bytes = Array(name.utf8)
            let entry = try interner.lookup(bytes, 0..<bytes.count, hint: ids.last ?? -1, what: "name", line: 1)
            #expect(entry.name == name)
            ids.append(entry.id)
        }
        #expect(Set(ids[0..<3]).count == 3)
        #expect(ids[3] != ids[1] && ids[3] != ids[2])
    }

    @Test func typeChangeAfterARepeatedFieldOrderIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"))
        let ingester = Ingester(store: store, format: .lp, precision: .ns, batchRows: 2, now: { 42 })
        var rejected: [IngestError] = []
        let text = """
        m,device=a x=1,y=2i 1
        m,device=b x=1 1
        m,device=a x=2,y=3i 2
        m,device=a x=3,y=true 3
        m,device=a x=4i,y=4i 4
        m,device=a y=5i,x=5 5
        """
        let summary = try Array(text.utf8).withUnsafeBytes { try ingester.ingest(buffer: $0) { rejected.append($0); return true } }
        #expect(summary.rows == 4)
        #expect(rejected.map(\.line) == [4, 5])
        try store.close()
    }
}
