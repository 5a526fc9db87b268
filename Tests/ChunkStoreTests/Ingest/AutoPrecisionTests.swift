import Testing
@testable import ChunkStore

/// `--precision auto` (the default) reads each integer timestamp by its magnitude, in
/// every input format, so seconds are never stored as nanoseconds in 1970.
@Suite struct AutoPrecisionTests {
    /// 2026-11-30T00:00:00Z in nanoseconds.
    let instant: Int64 = 1_795_996_800_000_000_000

    @Test func unitFollowsMagnitudeBounds() {
        let auto = TimestampPrecision.auto
        #expect(auto.unit(for: 0) == .s)
        #expect(auto.unit(for: 99_999_999_999) == .s)
        #expect(auto.unit(for: -99_999_999_999) == .s)
        #expect(auto.unit(for: 100_000_000_000) == .ms)
        #expect(auto.unit(for: 99_999_999_999_999) == .ms)
        #expect(auto.unit(for: 100_000_000_000_000) == .us)
        #expect(auto.unit(for: 99_999_999_999_999_999) == .us)
        #expect(auto.unit(for: 100_000_000_000_000_000) == .ns)
        #expect(auto.unit(for: Int64.min) == .ns)
        #expect(TimestampPrecision.ms.unit(for: 5) == .ms)
    }

    @Test func everyUnitOfOneInstantAgrees() throws {
        for text in ["1795996800", "1795996800000", "1795996800000000", "1795996800000000000"] {
            #expect(lp("m,device=d v=1 \(text)", precision: .auto).record?.timestamp == instant, "\(text)")
            #expect(jsonl(#"{"device":"d","ts":\#(text),"v":1}"#, precision: .auto).record?.timestamp == instant, "\(text)")
            var parser = CSVParser(precision: .auto)
            try withBytes("device,ts,v") { try parser.parseHeader($0, lineNumber: 1) }
            let row = run("d,\(text),1", line: 2) { (b, n, r) throws(IngestError) in try parser.parse(b, lineNumber: n, into: &r) }
            #expect(row.record?.timestamp == instant, "\(text)")
        }
    }

    @Test func inferredUnitThatOverflowsNamesTheInference() {
        // 5e16 is read as microseconds: out of range, and the error says why.
        let reason = lp("m,device=d v=1 50000000000000000", precision: .auto).reason ?? ""
        #expect(reason.contains("out of range"))
        #expect(reason.contains("auto"))
        #expect(reason.contains("us"))
        // With an explicit unit the same number is a 1971 instant.
        #expect(lp("m,device=d v=1 50000000000000000", precision: .ns).record?.timestamp == 50_000_000_000_000_000)
    }

    @Test func defaultsAreAuto() {
        #expect(LineProtocolParser().precision == .auto)
        #expect(CSVParser().precision == .auto)
        #expect(JSONLinesParser().precision == .auto)
    }
}
