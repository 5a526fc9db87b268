import Testing
@testable import ChunkStore

/// `deviceSchemas(named:)` looks up only the named devices, and must say of them exactly
/// what `deviceSchemas()` says: fields and types, first and last timestamps, over sealed
/// chunks in several index segments and rows still in the head.
@Suite struct DeviceSchemasTests {
    static func row(_ device: String, _ second: Int64, _ fields: [String: FieldValue]) -> Row {
        Row(device: device, timestamp: second * 1_000_000_000, fields: fields)
    }

    /// Expects the named lookup to equal the full listing, filtered to the names in order.
    static func check(_ store: Store, _ names: [String], _ label: String) throws {
        let all = try store.deviceSchemas()
        var seen = Set<String>()
        let expected = names.filter { seen.insert($0).inserted }.compactMap { name in all.first { $0.device == name } }
        #expect(try store.deviceSchemas(named: names) == expected, "\(label)")
    }

    @Test func namedLookupMatchesTheFullListing() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = StoreOptions(sync: .none)
        options.chunkRowLimit = 50
        let path = dir.child("s")
        // First segment: a and b sealed.
        var store = try Store.open(at: path, options: options)
        try store.append((0..<200).map { Self.row($0 % 2 == 0 ? "a" : "b", $0, ["p": .float(Double($0))]) })
        try store.close()
        // Second segment: a gains a field, c appears; then rows only in the head,
        // earlier and later than anything sealed, with a field the head alone has.
        store = try Store.open(at: path, options: options)
        try store.append((0..<100).map { Self.row($0 % 2 == 0 ? "a" : "c", 1_000 + $0, ["q": .int(Int64($0))]) })
        try store.flush()
        try store.append([Self.row("a", -50, ["r": .bool(true)]), Self.row("a", 5_000, ["p": .float(1)]),
                          Self.row("d", 7, ["s": .uint(3)])])
        let names = ["c", "a", "missing", "d", "a", "b"]
        try Self.check(store, names, "writer with a head")
        let a = try #require(try store.deviceSchemas(named: ["a"]).first)
        #expect(a.fields.map(\.name) == ["p", "q", "r"])
        #expect(a.firstTimestamp == -50_000_000_000 && a.lastTimestamp == 5_000_000_000_000)
        #expect(try store.deviceSchemas(named: ["missing"]).isEmpty)
        let reader = try Store.openReader(at: path)
        try Self.check(reader, names, "reader following the WAL")
        try store.close()
        try Self.check(try Store.openReader(at: path), names, "closed")
    }
}
