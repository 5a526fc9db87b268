import Foundation
import Testing
@testable import ChunkStore

@Suite struct IngesterTests {
    func run(_ text: String, format: IngestFormat, stopOnFirst: Bool = false, in store: Store) throws -> (IngestSummary, [IngestError]) {
        let ingester = Ingester(store: store, format: format, precision: .ns, batchRows: 3, now: { 42 })
        var rejected: [IngestError] = []
        let bytes = Array(text.utf8)
        let summary = try bytes.withUnsafeBytes { buffer in
            try ingester.ingest(buffer: buffer) { rejected.append($0); return !stopOnFirst }
        }
        return (summary, rejected)
    }

    @Test func badLinesAreRefusedAloneAndGoodOnesStored() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"))
        let text = """
        power,device=m1 w=1.5,kwh=10i 1000
        power,device=m1 w=2i 2000
        # a comment

        power,device=m1 w=2.5 3000
        power,device=m2 on=true
        garbage here
        power,device=m1 w=3.5,kwh=11i 4000
        """
        let (summary, rejected) = try run(text, format: .lp, in: store)
        #expect(summary.rows == 4 && summary.rejected == 2 && summary.points == 6)
        #expect(rejected.map(\.line) == [2, 7])
        #expect(rejected[0].reason.contains("has type float, got a value of type int"))
        let m1 = try store.range(device: "m1")
        #expect(m1.timestamps == [1000, 3000, 4000])
        #expect(m1.values[1] == [.float(1.5), .float(2.5), .float(3.5)])
        #expect(try store.range(device: "m2").timestamps == [42])
        try store.close()
    }

    @Test func strictStopsAtTheFirstBadLineKeepingWhatCameBefore() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"))
        let text = "m,device=a v=1 1\nm,device=a v=2 2\nm,device=a v=\"s\" 3\nm,device=a v=4 4\n"
        let (summary, rejected) = try run(text, format: .lp, stopOnFirst: true, in: store)
        #expect(rejected.count == 1 && summary.rows == 2)
        #expect(try store.range(device: "a").timestamps == [1, 2])
        try store.close()
    }

    @Test func csvAndJSONLines() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"))
        // volts' first cell has a fraction, so it is a float field; the later whole 231 is 231.0.
        let csv = "device,ts,power,volts\nm1,1000,1.5,230.0\nm1,2000,,231\nm1,3000,x,232\n"
        let (csvSummary, csvRejected) = try run(csv, format: .csv, in: store)
        #expect(csvSummary.rows == 2 && csvRejected.map(\.line) == [4])
        let json = "{\"device\":\"m1\",\"ts\":4000,\"power\":2.5}\n{\"device\":\"m1\",\"ts\":5000,\"fields\":{\"volts\":233}}\n"
            + "{\"device\":\"m1\",\"ts\":6000,\"power\":true}\n{\"device\":\"m9\",\"ts\":1,\"count\":3}\n{\"device\":\"m9\",\"ts\":2,\"count\":3.5}\n"
        let (jsonSummary, jsonRejected) = try run(json, format: .jsonl, in: store)
        // volts is a float field (from CSV): the JSON integer 233 is taken as 233.0.
        // A boolean for it is refused; so is a fraction for m9's integer field.
        #expect(jsonSummary.rows == 3 && jsonRejected.map(\.line) == [3, 5])
        let m1 = try store.range(device: "m1", fields: ["power", "volts"])
        #expect(m1.timestamps == [1000, 2000, 4000, 5000])
        #expect(m1.values[0] == [.float(1.5), nil, .float(2.5), nil])
        #expect(m1.values[1] == [.float(230), .float(231), nil, .float(233)])
        try store.close()
    }

    @Test func badCSVHeaderStopsTheIngest() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"))
        let (summary, rejected) = try run("ts,power\n1,2\n", format: .csv, in: store)
        #expect(summary.rows == 0 && rejected.count == 1 && rejected[0].line == 1)
        try store.close()
    }

    /// Real meter data (Fixtures/ATTRIBUTION.md) through line protocol into a store and back.
    @Test func realHouseholdDataRoundTripsAndIsSmall() throws {
        let excerpt = try FormatRealDataTests.load()
        var lines = ""
        for (r, t) in excerpt.timestamps.enumerated() {
            let fields = excerpt.columns.compactMap { column in
                column.present[r] ? "\(column.name)=\(Double(bitPattern: column.bits[r]))" : nil
            }
            guard !fields.isEmpty else { continue }
            lines += "household,device=sceaux " + fields.joined(separator: ",") + " \(t)\n"
        }
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"))
        let ingester = Ingester(store: store, format: .lp, precision: .ns, now: { 0 })
        let summary = try Array(lines.utf8).withUnsafeBytes { try ingester.ingest(buffer: $0) { _ in true } }
        try store.close()
        let reader = try Store.openReader(at: dir.child("s"))
        let back = try reader.range(device: "sceaux", fields: excerpt.names)
        for (f, column) in excerpt.columns.enumerated() {
            let original = back.timestamps.map { t -> FieldValue? in
                guard let r = excerpt.timestamps.firstIndex(of: t) else { return nil }
                return column.value(at: r)
            }
            #expect(back.values[f] == original, "column \(column.name)")
        }
        let info = try reader.info()
        print("real data: \(summary.rows) rows, \(info.points) points, \(info.dataBytes) data bytes, \(String(format: "%.3f", info.bytesPerPoint)) bytes/point")
        #expect(info.points == summary.points)
    }
}
