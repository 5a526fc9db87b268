import Testing
@testable import ChunkStore

/// The ingester's line protocol fast path (shapes remembered per device, rows appended by
/// column index) must store and refuse exactly what the general path does. A line with a
/// leading space never takes the fast path but parses to the same record, so the same
/// input with and without that space must give equal stores and equal rejections.
@Suite struct IngestCoreFastPathTests {
    struct Outcome: Equatable {
        var rows = 0, points = 0, rejected = 0
        var errors: [String] = []
        var contents: [RangeResult] = []
    }

    func ingest(_ lines: [String], batchRows: Int) throws -> Outcome {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"))
        let ingester = Ingester(store: store, format: .lp, precision: .ns, batchRows: batchRows, now: { 42 })
        var out = Outcome()
        let text = lines.joined(separator: "\n")
        let summary = try Array(text.utf8).withUnsafeBytes { buffer in
            try ingester.ingest(buffer: buffer) { out.errors.append("\($0.line): \($0.reason)"); return true }
        }
        (out.rows, out.points, out.rejected) = (summary.rows, summary.points, summary.rejected)
        out.contents = try store.devices().map { try store.range(device: $0.device) }
        try store.close()
        return out
    }

    /// A stream that mostly repeats shapes (the fast path's case) with every kind of
    /// change mixed in: new and reordered fields, type changes, duplicates, devices beyond
    /// the 256-entry device cache, escapes, bad lines, missing timestamps.
    func stream(seed: UInt64, count: Int) -> [String] {
        var state = seed
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        var lines: [String] = []
        var device = 0
        for i in 0..<count {
            if next(8) == 0 { device = next(300) }
            let d = "dev-\(device)"
            let a = "\(next(100_000) - 50_000).\(next(10))", b = "\(next(1000))i", c = next(2) == 0 ? "t" : "false"
            let ts = " \(1_000 + i)"
            switch next(40) {
            case 0: lines.append("m,device=\(d) a=\(a),b=1.5,c=\(c)\(ts)")          // b changes type: refused
            case 1: lines.append("m,device=\(d) a=\(a),b=\(b),c=\(c),e=\(next(9))u\(ts)")  // a new field
            case 2: lines.append("m,device=\(d) b=\(b),a=\(a),c=\(c)\(ts)")         // another order
            case 3: lines.append("m,device=\(d) a=\(a),a=\(a)9,b=\(b)\(ts)")         // a repeated key
            case 4: lines.append("m,device=\(d) a=\(a),b=\(b)")                      // no timestamp
            case 5: lines.append("m,device=dev\\ \(device) a=\(a)\(ts)")            // an escaped device
            case 6: lines.append("m,site=s\(device % 3) a=\(a),b=\(b)\(ts)")         // series key device
            case 7: lines.append("m,device=\(d) a=x\(a)\(ts)")                       // a bad value
            case 8: lines.append(next(2) == 0 ? "# comment" : "")
            case 9: lines.append("m,device=\(d) a=\(a)e\(next(5)),b=\(b),c=\(c)\(ts)") // an exponent
            case 10: lines.append("m,device=\(d) a=\(a)\(ts)")                       // fewer fields
            case 11: lines.append("m,device=\(d) a=\(next(2) == 0 ? "-0.0" : "1e400"),b=\(b),c=\(c)\(ts)")
            default: lines.append("m,device=\(d) a=\(a),b=\(b),c=\(c)\(ts)")
            }
        }
        return lines
    }

    @Test(arguments: [1, 3, 1000])
    func fastAndGeneralPathsStoreTheSame(batchRows: Int) throws {
        let lines = stream(seed: UInt64(batchRows), count: 4000)
        let fast = try ingest(lines, batchRows: batchRows)
        let general = try ingest(lines.map { " " + $0 }, batchRows: batchRows)
        #expect(fast.rows == general.rows && fast.points == general.points && fast.rejected == general.rejected)
        #expect(fast.errors == general.errors)
        #expect(fast.contents == general.contents)
        #expect(fast.rows > 3000 && fast.rejected > 50, "the stream exercises both")
    }

    /// Staged fast rows meet rows of other shapes: every column is padded where a row
    /// lacks it, values stay in their rows.
    @Test func shapesComeAndGoAroundStagedRows() throws {
        let lines = ["m,device=a x=1,y=1i 1", "m,device=a x=2,y=2i 2", "m,device=a x=3,y=3i 3",
                     "m,device=a y=4i 4", "m,device=a y=5i 5", "m,device=b y=50i 5", "m,device=a x=6,y=6i 6",
                     "m,device=a x=7,y=7i 7", "m,device=a z=t 8", "m,device=a y=9i,x=9 9", "m,device=a y=10i,x=10 10"]
        for batchRows in [2, 100] {
            let out = try ingest(lines, batchRows: batchRows)
            #expect(out.rows == 11 && out.rejected == 0)
            let a = try #require(out.contents.first { $0.device == "a" })
            #expect(a.fieldNames == ["x", "y", "z"])
            #expect(a.timestamps == Array(1...10))
            #expect(a.values[0] == [.float(1), .float(2), .float(3), nil, nil, .float(6), .float(7), nil, .float(9), .float(10)])
            #expect(a.values[1] == [.int(1), .int(2), .int(3), .int(4), .int(5), .int(6), .int(7), nil, .int(9), .int(10)])
            #expect(a.values[2] == [nil, nil, nil, nil, nil, nil, nil, .bool(true), nil, nil])
        }
    }

    @Test func typeChangeAfterRepeatedShapesIsRefused() throws {
        let lines = ["m,device=a x=1,y=2i 1", "m,device=a x=2,y=3i 2", "m,device=a x=3,y=4 3", "m,device=a x=4,y=5i 4",
                     "m,device=a x=5,y=6i,z=t 5", "m,device=a x=6,y=7i,z=1 6", "m,device=a x=7,y=8i,z=f 7"]
        let out = try ingest(lines, batchRows: 100)
        #expect(out.rows == 5 && out.rejected == 2)
        #expect(out.errors.map { $0.prefix(2) } == ["3:", "6:"])
        #expect(out.contents.first?.timestamps == [1, 2, 4, 5, 7])
        #expect(out.contents.first?.values[2] == [nil, nil, nil, .bool(true), .bool(false)])
    }
}
