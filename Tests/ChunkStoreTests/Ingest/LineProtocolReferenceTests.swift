import Testing
@testable import ChunkStore

/// Where ChunkStore's line protocol follows InfluxData's reference decoder
/// (line-protocol v2), and where it keeps its own, documented limits.
@Suite struct LineProtocolReferenceTests {
    @Test func repeatedTagKeyIsRejectedNamingKeyAndLine() throws {
        var parser = LineProtocolParser(precision: .ns)
        var record = ParsedRecord()
        for line in ["cpu,b=2,c=3,b=1 value=1i", "cpu,device=a,device=b value=1i", #"cpu,b\ x=2,b\ x=3 value=1"#] {
            let result = withBytes(line) { bytes in
                Result { () throws(IngestError) in try parser.parse(bytes, lineNumber: 7, into: &record) }
            }
            guard case .failure(let error) = result else { Issue.record("accepted \(line)"); continue }
            #expect(error.line == 7)
            #expect(error.reason.contains("is repeated"), "\(error.reason)")
        }
        #expect(lp("cpu,b=2,c=3,b=1 value=1i").reason?.contains(#"tag key "b" is repeated"#) == true)
        // The fast path leaves such lines to the full parse instead of taking the last value.
        var fast = LineProtocolParser(precision: .ns)
        var row = LineProtocolRow()
        #expect(!withBytes("m,device=a,device=b v=1 5") { fast.parseFast($0, into: &row) })
        #expect(!withBytes("m,site=x,device=a,site=y v=1 5") { fast.parseFast($0, into: &row) })
        #expect(withBytes("m,site=x,device=a,sites=y v=1 5") { fast.parseFast($0, into: &row) })
    }

    @Test func spacesOnlyLinesAreSkippedAsTheReferenceDoes() {
        for line in ["", " ", "     ", " \r", "  # comment"] {
            guard case .skipped = lp(line) else { Issue.record("not skipped: \(line.debugDescription)"); continue }
        }
        #expect(lp("   m,device=d v=1 5").record?.device == "d")
    }

    @Test func lineStartingWithATabIsRejectedAsTheReferenceDoes() {
        for line in ["\t", "\tm,device=d v=1 5", "  \tm,device=d v=1 5", "\t\t"] {
            #expect(lp(line).reason?.contains("starts with a tab") == true, "\(line.debugDescription)")
        }
    }

    @Test func ownLimitsSaySoInTheError() throws {
        let key = "m," + (0..<40).map { "tag\($0)=value\($0)" }.joined(separator: ",") + " v=1"
        let long = try #require(lp(key).reason)
        #expect(long.contains("limit is 255") && long.contains("ChunkStore limit") && long.contains("device"), "\(long)")
        let control = try #require(lp("m,device=a\u{1}b v=1").reason)
        #expect(control.contains("control character") && control.contains("0x1") && control.contains("ChunkStore"), "\(control)")
    }
}
