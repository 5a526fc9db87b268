import Testing
@testable import ChunkStore

@Suite struct IngestCSVTests {
    /// Parses `header` then each row, returning one outcome per row.
    func csv(_ header: String, _ rows: [String], precision: TimestampPrecision = .ns,
             separator: Character = ",") throws -> [Outcome] {
        var parser = CSVParser(precision: precision, separator: separator.asciiValue ?? 0)
        try withBytes(header) { try parser.parseHeader($0, lineNumber: 1) }
        return rows.enumerated().map { n, row in
            run(row, line: n + 2) { (b, line, r) throws(IngestError) in try parser.parse(b, lineNumber: line, into: &r) }
        }
    }

    func headerError(_ header: String) -> String? {
        var parser = CSVParser(precision: .ns)
        do {
            try withBytes(header) { try parser.parseHeader($0, lineNumber: 1) }
            return nil
        } catch {
            return (error as? IngestError)?.reason
        }
    }

    @Test func parsesRowsTypedAsJSONLines() throws {
        let out = try csv("device,ts,power,ok,count", ["m1,1767225600,1.5,true,3", "m2,2026-01-01T00:00:01Z,-2e3,false,"],
                          precision: .s)
        let first = try #require(out[0].record)
        #expect(first.device == "m1")
        #expect(first.timestamp == 1_767_225_600_000_000_000)
        #expect(out[0].fields == ["power": .float(1.5), "ok": .bool(true), "count": .int(3)])
        #expect(out[1].record?.timestamp == 1_767_225_601_000_000_000)
        #expect(out[1].fields == ["power": .float(-2000), "ok": .bool(false)])
    }

    @Test func headerVariants() throws {
        for name in ["ts", "time", "timestamp", "TS", "Time"] {
            let out = try csv("\(name),device,v", ["5,d,1"])
            #expect(out[0].record?.timestamp == 5)
        }
        let noTime = try csv("device,v", ["d,1"])
        #expect(noTime[0].record?.timestamp == nil)
        let bom = try csv("\u{FEFF}device,v", ["d,1"])
        #expect(bom[0].record?.device == "d")
        let semicolons = try csv("device;ts;v", ["d;1;2.5"], separator: ";")
        #expect(semicolons[0].fields == ["v": .float(2.5)])
        #expect(try csv("device,v", ["d,-12"])[0].fields == ["v": .int(-12)])
        #expect(try csv("device,v", ["d,12.0"])[0].fields == ["v": .float(12)])
        #expect(try csv("device,v", ["d,99999999999999999999"])[0].reason?.contains("out of range for a 64-bit integer") == true)
        #expect(headerError("ts,v")?.contains("no device column") == true)
        #expect(headerError("device,ts")?.contains("no field columns") == true)
        #expect(headerError("device,ts,time,v")?.contains("more than one time column") == true)
        #expect(headerError("device,v,v")?.contains("twice") == true)
        #expect(headerError("device,,v")?.contains("is empty") == true)
        #expect(headerError("device,\"v")?.contains("unterminated") == true)
    }

    @Test func quotingAndEmptyCells() throws {
        let out = try csv(#"device,"ts","a ""quoted"" name",b,c"#,
                          [#""dev, ""one""",  7 , "1.25",,"""#, #" d2 ,"", 2 ,"true", 3 "#])
        let first = try #require(out[0].record)
        #expect(first.device == #"dev, "one""#)
        #expect(first.timestamp == 7)
        #expect(out[0].fields == [#"a "quoted" name"#: .float(1.25)])
        #expect(out[1].record?.device == "d2")
        #expect(out[1].record?.timestamp == nil)
        #expect(out[1].fields == [#"a "quoted" name"#: .int(2), "b": .bool(true), "c": .int(3)])
    }

    @Test func keepGoodCellsStoresTheRestAndNamesEachBadCell() throws {
        var parser = CSVParser(precision: .ns)
        try withBytes("device,ts,power_w,volt,amps") { try parser.parseHeader($0, lineNumber: 1) }
        // Default: one bad cell rejects the row.
        let rejected = run("m1,5,ERR,230,1.5", line: 2) { (b, n, r) throws(IngestError) in try parser.parse(b, lineNumber: n, into: &r) }
        #expect(rejected.reason?.contains("not a number") == true)
        parser.keepGoodCells = true
        let kept = run("m1,5,ERR,230,nan", line: 3) { (b, n, r) throws(IngestError) in try parser.parse(b, lineNumber: n, into: &r) }
        #expect(kept.fields == ["volt": .int(230)])
        #expect(parser.badCells.map(\.line) == [3, 3])
        #expect(parser.badCells[0].reason.contains(#"column "power_w""#) && parser.badCells[0].reason.contains("ERR"))
        #expect(parser.badCells[1].reason.contains(#"column "amps""#))
        // The next good row clears the list; a row with no good cell is still rejected.
        let good = run("m1,6,1,2,3", line: 4) { (b, n, r) throws(IngestError) in try parser.parse(b, lineNumber: n, into: &r) }
        #expect(good.record != nil && parser.badCells.isEmpty)
        let none = run("m1,7,x,,", line: 5) { (b, n, r) throws(IngestError) in try parser.parse(b, lineNumber: n, into: &r) }
        #expect(none.reason?.contains("no good field values") == true)
    }

    @Test func blankRowsAreSkipped() throws {
        let out = try csv("device,v", ["", "  ", "\r"])
        for o in out { guard case .skipped = o else { Issue.record("blank row not skipped"); continue } }
    }

    @Test func rejections() throws {
        let rows: [(String, String)] = [
            ("d,1,2", "expected 2 columns, found 3"),
            ("d", "expected 2 columns, found 1"),
            (",1", "device \"\" is empty"),
            ("d,", "no field values"),
            ("d,abc", "not a number"),
            ("d,nan", "NaN"),
            ("d,inf", "infinity"),
            ("d,1e999", "out of range"),
            ("d,TRUE", "not a number"),
            ("\"d,1", "unterminated quoted cell in column 1"),
            ("\"d\"x,1", "after the closing quote in column 1"),
            ("d,1\"2", "quote inside an unquoted cell in column 2"),
            ("d\u{1},1", "control character"),
        ]
        let out = try csv("device,v", rows.map(\.0))
        for (o, (row, reason)) in zip(out, rows) {
            let error = try #require(o.reason, "accepted \(row)")
            #expect(error.contains(reason), "\(row): \(error)")
        }
        let times = try csv("device,ts,v", ["d,yesterday,1", "d,9300000000,1", "d,99999999999999999999,1"], precision: .s)
        #expect(times[0].reason?.contains("RFC 3339") == true)
        #expect(times[1].reason?.contains("out of range") == true)
        #expect(times[2].reason?.contains("out of range") == true)
    }

    /// The first line that is not blank is the header: a data row there cannot be one,
    /// and the error is fatal, since no later row could be read either.
    @Test func dataBeforeHeaderIsAFatalError() throws {
        var parser = CSVParser(precision: .ns)
        var record = ParsedRecord()
        #expect(try withBytes("  ") { try parser.parse($0, lineNumber: 1, into: &record) } == false)
        do {
            _ = try withBytes("d,1") { try parser.parse($0, lineNumber: 2, into: &record) }
            Issue.record("a data row was taken for a header")
        } catch let error as IngestError {
            #expect(error.isFatal)
            #expect(error.line == 2)
            #expect(error.reason == "the header has no device column")
        }
        var good = CSVParser(precision: .ns)
        #expect(try withBytes("device,ts,v") { try good.parse($0, lineNumber: 1, into: &record) } == false)
        #expect(try withBytes("d,5,1.5") { try good.parse($0, lineNumber: 2, into: &record) } == true)
        #expect(record.device == "d" && record.timestamp == 5)
    }
}
