import Testing
@testable import ChunkStore

@Suite struct TextExportTests {
    func store(_ dir: TemporaryDirectory, _ rows: [Row]) throws -> Store {
        let path = dir.child("db")
        let writer = try Store.open(at: path)
        try writer.append(rows)
        try writer.close()
        return try Store.openReader(at: path)
    }

    func text(_ store: Store, _ format: TextExport.Format) throws -> String {
        var out = ""
        _ = try TextExport(format: format).run(store: store) { out += $0 }
        return out
    }

    @Test func everyFormatKeepsTypesAndExactTimes() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let s = try store(dir, [
            Row(device: "m 1,x=y", timestamp: 1_767_225_600_000_000_001, fields: ["p w": .float(0.1), "n": .int(-3), "on": .bool(true)]),
            Row(device: "m 1,x=y", timestamp: 1_767_225_600_000_000_002, fields: ["p w": .float(5)]),
        ])
        defer { try? s.close() }
        #expect(try text(s, .lp) == """
            chunkstore,device=m\\ 1\\,x\\=y n=-3i,on=true,p\\ w=0.1 1767225600000000001
            chunkstore,device=m\\ 1\\,x\\=y p\\ w=5.0 1767225600000000002

            """)
        #expect(try text(s, .csv) == """
            device,time,n,on,p w
            "m 1,x=y",1767225600000000001,-3,true,0.1
            "m 1,x=y",1767225600000000002,,,5.0

            """)
        #expect(try text(s, .jsonl) == """
            {"device":"m 1,x=y","ts":1767225600000000001,"fields":{"n":-3,"on":true,"p w":0.1}}
            {"device":"m 1,x=y","ts":1767225600000000002,"fields":{"p w":5.0}}

            """)
    }

    @Test func nonFiniteFloatsAreRefusedWithDeviceFieldAndTime() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let s = try store(dir, [Row(device: "d", timestamp: 42, fields: ["v": .float(.infinity)])])
        defer { try? s.close() }
        for format in [TextExport.Format.lp, .jsonl] {
            #expect {
                _ = try text(s, format)
            } throws: { error in
                guard case StoreError.invalidField(let device, let field, let reason) = error else { return false }
                return device == "d" && field == "v" && reason.contains("time 42 ns")
            }
        }
        #expect(try text(s, .csv).contains("d,42,inf"))
    }
}
