import Testing
@testable import ChunkStore

@Suite struct IngestLineProtocolTests {
    @Test func parsesAFullLine() throws {
        let out = lp("power,device=m1,site=a active=1.5,reactive=2i,on=t,count=7u 1767225600000000000")
        let record = try #require(out.record)
        #expect(record.device == "m1")
        #expect(record.timestamp == 1_767_225_600_000_000_000)
        #expect(record.fields.map(\.name) == ["active", "reactive", "on", "count"])
        #expect(out.fields == ["active": .float(1.5), "reactive": .int(2), "on": .bool(true), "count": .uint(7)])
    }

    @Test func missingTimestampIsNil() throws {
        let record = try #require(lp("m,device=d v=1").record)
        #expect(record.timestamp == nil)
        #expect(try #require(lp("m,device=d v=1   ").record).timestamp == nil)
    }

    @Test func skipsBlankAndCommentLines() {
        for text in ["", "   ", "# a comment", "   # indented comment", "#m,device=d v=1"] {
            guard case .skipped = lp(text) else { Issue.record("not skipped: \(text.debugDescription)"); continue }
        }
    }

    @Test func floatForms() {
        let cases: [(String, Double)] = [("1", 1), ("1.5", 1.5), ("-1e3", -1000), ("+2", 2), (".5", 0.5), ("1.", 1),
                                         ("1E-2", 0.01), ("0.1", 0.1), ("-0", -0.0), ("123456789012345678901234", 1.2345678901234568e23),
                                         ("3.141592653589793238", 3.141592653589793), ("2.5e-300", 2.5e-300)]
        for (text, value) in cases {
            #expect(lp("m,device=d v=\(text)").fields["v"] == .float(value), "\(text)")
        }
    }

    @Test func integerUnsignedAndBooleanForms() {
        #expect(lp("m,device=d v=-9223372036854775808i").fields["v"] == .int(Int64.min))
        #expect(lp("m,device=d v=9223372036854775807u").fields["v"] == .uint(UInt64(Int64.max)))
        #expect(lp("m,device=d v=18446744073709551615u").fields["v"] == .uint(.max))
        #expect(lp("m,device=d v=0u").fields["v"] == .uint(0))
        for word in ["t", "T", "true", "True", "TRUE"] { #expect(lp("m,device=d v=\(word)").fields["v"] == .bool(true)) }
        for word in ["f", "F", "false", "False", "FALSE"] { #expect(lp("m,device=d v=\(word)").fields["v"] == .bool(false)) }
    }

    @Test(arguments: [
        ("m,device=d v=\"on\"", "string field v is not supported"),
        ("m,device=d v=\"on", "unterminated string"),
        ("m,device=d v=inf", "NaN"),
        ("m,device=d v=NaN", "NaN"),
        ("m,device=d v=-Inf", "infinity"),
        ("m,device=d v=1e400", "out of range"),
        ("m,device=d v=1.2.3", "not a number"),
        ("m,device=d v=12x", "not a number"),
        ("m,device=d v=9223372036854775808i", "out of range"),
        ("m,device=d v=18446744073709551616u", "out of range for a 64-bit unsigned integer"),
        ("m,device=d v=-1u", "not a number"),
        ("m,device=d v=99999999999999999999u", "out of range"),
        ("m,device=d v=-1u", "not a number"),
        ("m,device=d v=yes", "not a number"),
        ("m,device=d v=", "empty value"),
        ("m,device=d", "missing fields"),
        ("m,device=d ", "missing fields"),
        ("m", "missing fields"),
        (",device=d v=1", "missing measurement"),
        ("m,device=d v", "has no '=value'"),
        ("m,device=d v=1,", "missing field"),
        ("m,device=d =1", "field name \"\" is empty"),
        ("m,device v=1", "tag key \"device\" has no '=value'"),
        ("m,device= v=1", "empty value"),
        ("m,=d v=1", "empty tag key"),
        ("m,device=a=b v=1", "unescaped '='"),
        ("m,device=d v=1 123abc", "invalid timestamp"),
        ("m,device=d v=1 99999999999999999999", "out of range"),
        ("m,device=d v=1 1 2", "unexpected text after the timestamp"),
        ("m,device=d v=1\\", "not a number"),
        ("m\\", "unterminated escape"),
        ("m,device=d\u{01} v=1", "control character"),
        ("m,device=d v\u{7F}=1", "control character"),
        ("m,device=d v=1\"", "not a number"),
    ])
    func rejects(line: String, reason: String) throws {
        let error = try #require(lp(line).reason, "accepted: \(line)")
        #expect(error.contains(reason), "\(line): \(error)")
    }

    @Test func errorCarriesLineNumber() {
        var parser = LineProtocolParser(precision: .ns)
        var record = ParsedRecord()
        #expect(throws: IngestError(line: 42, reason: "missing fields")) {
            try withBytes("m,device=d") { try parser.parse($0, lineNumber: 42, into: &record) }
        }
        #expect(IngestError(line: 42, reason: "x").description == "line 42: x")
    }

    @Test func invalidUTF8AndLongNamesAreRejected() throws {
        var parser = LineProtocolParser(precision: .ns)
        var record = ParsedRecord()
        var bytes = Array("m,device=".utf8) + [0xFF, 0xFE] + Array(" v=1".utf8)
        let bad = bytes.withUnsafeBytes { buf in Result { () throws(IngestError) in try parser.parse(buf, lineNumber: 1, into: &record) } }
        guard case .failure(let error) = bad else { Issue.record("accepted invalid UTF-8"); return }
        #expect(error.reason.contains("not valid UTF-8"))
        bytes = Array("m,device=d v=1".utf8)
        #expect(lp("m,device=\(String(repeating: "x", count: 255)) v=1").record != nil)
        #expect(lp("m,device=\(String(repeating: "x", count: 256)) v=1").reason?.contains("limit is 255") == true)
        #expect(lp("m,device=d \(String(repeating: "f", count: 256))=1").reason?.contains("field name") == true)
        #expect(lp("m,device=\u{85}x v=1").reason?.contains("control character") == true)
        #expect(lp("m,device=café v=1").record?.device == "café")
    }

    @Test func escapes() throws {
        let record = try #require(lp(#"my\ meas\,x,device=dev\ 1\,a\=b field\ one\=x\,y=1,plain=2 5"#).record)
        #expect(record.device == "dev 1,a=b")
        #expect(record.fields.map(\.name) == ["field one=x,y", "plain"])
        #expect(record.timestamp == 5)
        // A backslash before an ordinary character is kept, as InfluxDB does.
        #expect(lp(#"m,device=a\b v\x=1"#).record?.device == #"a\b"#)
        #expect(lp(#"m,device=a\b v\x=1"#).fields[#"v\x"#] == .float(1))
        // A measurement may contain '=' unescaped.
        #expect(lp("a=b,site=x v=1").record?.device == #"a=b,site=x"#)
    }

    @Test func seriesKeyFallback() throws {
        #expect(lp("cpu v=1").record?.device == "cpu")
        #expect(lp("cpu,zone=b,host=h1,app=x v=1").record?.device == "cpu,app=x,host=h1,zone=b")
        #expect(lp(#"my\ cpu,host=a\ b,k\=1=v\,2 v=1"#).record?.device == #"my\ cpu,host=a\ b,k\=1=v\,2"#)
        #expect(lp("cpu,host=h1,device=m7 v=1").record?.device == "m7")
        #expect(lp("cpu,host=h1,unit=m7 v=1", deviceTag: "unit").record?.device == "m7")
        #expect(lp("cpu,host=h1,device=m7 v=1", deviceTag: "unit").record?.device == "cpu,device=m7,host=h1")
        let long = "cpu,host=\(String(repeating: "h", count: 300)) v=1"
        #expect(lp(long).reason?.contains("series key") == true)
    }

    @Test func fieldNameIsTheKeyAndLastDuplicateWins() throws {
        #expect(lp("cpu,device=d usage=1").fields == lp("mem,device=d usage=1").fields)
        let out = lp("m,device=d a=1,b=2i,a=3")
        #expect(out.record?.fields.count == 2)
        #expect(out.fields == ["a": .float(3), "b": .int(2)])
    }

    @Test func precisionScalesTimestamps() {
        #expect(lp("m,device=d v=1 1767225600", precision: .s).record?.timestamp == 1_767_225_600_000_000_000)
        #expect(lp("m,device=d v=1 1767225600000", precision: .ms).record?.timestamp == 1_767_225_600_000_000_000)
        #expect(lp("m,device=d v=1 -1", precision: .us).record?.timestamp == -1_000)
        #expect(lp("m,device=d v=1 9300000000", precision: .s).reason?.contains("out of range") == true)
    }

    @Test func parserIsReusableAcrossLines() throws {
        var parser = LineProtocolParser(precision: .ns)
        var record = ParsedRecord()
        var devices: [String] = []
        for (n, text) in ["m,device=a x=1,y=2", "# c", "m,device=b y=3", "bad", "m,device=a x=4"].enumerated() {
            do {
                if try withBytes(text, { try parser.parse($0, lineNumber: n + 1, into: &record) }) {
                    devices.append(record.device)
                    #expect(record.fields.count == (n == 2 ? 1 : 2) || n == 4)
                }
            } catch let error as IngestError {
                #expect(error.line == 4)
            }
        }
        #expect(devices == ["a", "b", "a"])
        #expect(record.fields.count == 1)
    }
}
