import ChunkStore
import Testing

/// `LineProtocolDecoder.swift`: the public face of the ingest parser, rows without a store.
@Suite struct LineProtocolDecoderTests {
    static let body = """
        meter,device=m1,site=x power=1.5,relay=t,count=3i,big=18446744073709551615u 1767225600
        # a comment

        meter,device=m1 power=oops 1767225601
        weather,site=b,room=hall temp=21.5 1767225602\r
        meter,device=m2 power=2
        \tmeter,device=m3 power=1 1
        meter,device=m4 power="text" 1
        """

    @Test func goodLinesBecomeRowsAndBadOnesAreNamed() {
        let decoded = LineProtocolDecoder(precision: .s).decode(Self.body, now: 42)
        #expect(decoded.lines == 8)
        #expect(decoded.rows == [
            Row(device: "m1", timestamp: 1_767_225_600_000_000_000,
                fields: ["power": .float(1.5), "relay": .bool(true), "count": .int(3), "big": .uint(.max)]),
            Row(device: "weather,room=hall,site=b", timestamp: 1_767_225_602_000_000_000, fields: ["temp": .float(21.5)]),
            Row(device: "m2", timestamp: 42, fields: ["power": .float(2)]),
        ])
        #expect(decoded.rowLines == [1, 5, 6])
        #expect(decoded.rejected.map(\.line) == [4, 7, 8])
        #expect(decoded.rejected.allSatisfy { $0.description.hasPrefix("line \($0.line): ") && !$0.reason.isEmpty })
        #expect(LineProtocolDecoder().decode("", now: 0) == LineProtocolRows())
        #expect(LineProtocolDecoder(deviceTag: "site").decode(Array("m,site=s1 v=1i 5\n".utf8), now: 0).rows
            == [Row(device: "s1", timestamp: 5, fields: ["v": .int(1)])])
    }

    /// The decoder and `appendLineProtocol` share the parser: same rows, same errors.
    @Test func decodingMatchesWhatAppendLineProtocolStores() throws {
        let dir = TemporaryDirectory("decoder")
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"), options: StoreOptions(sync: .none))
        defer { try? store.close() }
        let written = try store.appendLineProtocol(Array(Self.body.utf8), precision: .s, now: 42)
        let decoded = LineProtocolDecoder(precision: .s).decode(Array(Self.body.utf8), now: 42)
        #expect(written.rejected == decoded.rejected)
        #expect(written.rows == decoded.rows.count && written.lines == decoded.lines)
        for row in decoded.rows {
            #expect(try store.range(device: row.device).map(\.row) == [row])
        }
    }
}
