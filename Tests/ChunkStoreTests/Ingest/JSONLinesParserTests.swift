import Testing
@testable import ChunkStore

@Suite struct IngestJSONLinesTests {
    @Test func flatAndNestedForms() throws {
        let flat = jsonl(#"{"device":"m1","ts":1767225600,"power":1.5,"ok":true,"n":3}"#, precision: .s)
        #expect(flat.record?.device == "m1")
        #expect(flat.record?.timestamp == 1_767_225_600_000_000_000)
        #expect(flat.fields == ["power": .float(1.5), "ok": .bool(true), "n": .int(3)])
        let nested = jsonl(#"  { "ts" : "2026-01-01T00:00:00Z" , "fields" : { "power" : -2E2 , "off" : false } , "device" : "m2" }  "#)
        #expect(nested.record?.device == "m2")
        #expect(nested.record?.timestamp == 1_767_225_600_000_000_000)
        #expect(nested.fields == ["power": .float(-200), "off": .bool(false)])
        #expect(jsonl(#"{"device":"d","time":5,"v":1}"#).record?.timestamp == 5)
        #expect(jsonl(#"{"device":"d","timestamp":null,"v":1}"#).record?.timestamp == nil)
        #expect(jsonl(#"{"device":"d","v":1}"#).record?.timestamp == nil)
    }

    @Test func numbers() {
        #expect(jsonl(#"{"device":"d","v":-9223372036854775808}"#).fields["v"] == .int(Int64.min))
        #expect(jsonl(#"{"device":"d","v":0}"#).fields["v"] == .int(0))
        #expect(jsonl(#"{"device":"d","v":1.0}"#).fields["v"] == .float(1))
        #expect(jsonl(#"{"device":"d","v":1e2}"#).fields["v"] == .float(100))
        #expect(jsonl(#"{"device":"d","v":-0.0}"#).fields["v"] == .float(-0.0))
        #expect(jsonl(#"{"device":"d","v":0.1}"#).fields["v"] == .float(0.1))
    }

    @Test func nullIsMissingAndDuplicatesKeepTheLast() {
        let out = jsonl(#"{"device":"d","a":null,"b":1,"b":2.5}"#)
        #expect(out.fields == ["b": .float(2.5)])
        #expect(jsonl(#"{"device":"d","a":null}"#).reason?.contains("no field values") == true)
    }

    @Test func stringEscapesAndUnicode() throws {
        let out = jsonl(#"{"device":"m\"1\\\/\t","fields":{"temp \u00b0C":1,"caf\u00E9":2,"\ud83d\ude00":3,"日本":4}}"#)
        #expect(out.reason?.contains("device \"m\\\"1\\\\/\\t\" contains a control character") == true, "\(out.reason ?? "")")
        let ok = jsonl(#"{"device":"m\"1\\\/","fields":{"temp \u00b0C":1,"caf\u00E9":2,"\ud83d\ude00":3,"日本":4}}"#)
        #expect(ok.record?.device == #"m"1\/"#)
        #expect(Set(ok.fields.keys) == ["temp °C", "café", "😀", "日本"])
    }

    @Test(arguments: [
        (#"{"device":"d","v":"on"}"#, "string field v is not supported"),
        (#"{"device":"d","v":[1]}"#, "field v is an array"),
        (#"{"device":"d","v":{"x":1}}"#, "field v is an object"),
        (#"{"device":"d","fields":{"v":{"x":1}}}"#, "field v is an object"),
        (#"{"device":"d","fields":[1]}"#, "\"fields\" must be an object"),
        (#"{"device":1,"v":1}"#, "\"device\" must be a string"),
        (#"{"v":1}"#, "missing \"device\""),
        (#"{"device":"d"}"#, "no field values"),
        (#"{"device":"","v":1}"#, "device \"\" is empty"),
        (#"{"device":"a\u0001","v":1}"#, "control character"),
        (#"{"device":"d","ts":1.5,"v":1}"#, "not a fraction"),
        (#"{"device":"d","ts":true,"v":1}"#, "integer or an RFC 3339"),
        (#"{"device":"d","ts":"yesterday","v":1}"#, "RFC 3339"),
        (#"{"device":"d","ts":99999999999999999999,"v":1}"#, "out of range"),
        (#"{"device":"d","v":99999999999999999999}"#, "out of range"),
        (#"{"device":"d","v":1e999}"#, "out of range"),
        (#"{"device":"d","v":01}"#, "leading zero"),
        (#"{"device":"d","v":1.}"#, "digits after '.'"),
        (#"{"device":"d","v":.5}"#, "invalid value for field v"),
        (#"{"device":"d","v":+1}"#, "invalid value for field v"),
        (#"{"device":"d","v":1e}"#, "exponent"),
        (#"{"device":"d","v":NaN}"#, "invalid value for field v"),
        (#"{"device":"d","v":tru}"#, "invalid value for field v"),
        (#"{"device":"d","v":truex}"#, "invalid value for field v"),
        (#"{"device":"d","v":}"#, "invalid value for field v"),
        (#"{"device":"d","v":1"#, "unterminated object"),
        (#"{"device":"d","v":1,}"#, "expected a quoted key"),
        (#"{"device":"d" "v":1}"#, "expected ',' or '}'"),
        (#"{"device":"d","v"1}"#, "expected ':'"),
        (#"{"device":"d","v":1} x"#, "unexpected text after the object"),
        (#"{"device":"d","v":1}{}"#, "unexpected text after the object"),
        (#"["device"]"#, "expected '{'"),
        (#"{"device":"d,"v":1}"#, "expected ',' or '}'"),
        (#"{"device":"d"#, "unterminated string"),
        (#"{"device":"a\x","v":1}"#, "invalid escape"),
        (#"{"device":"a\u12","v":1}"#, "hex digit"),
        (#"{"device":"a\ud83d","v":1}"#, "unpaired surrogate"),
        (#"{"device":"a\ude00","v":1}"#, "unpaired surrogate"),
        (#"{"device":"a\ud83d\u0041","v":1}"#, "invalid surrogate pair"),
        ("{\"device\":\"a\tb\",\"v\":1}", "unescaped control character"),
    ])
    func rejects(line: String, reason: String) throws {
        let error = try #require(jsonl(line).reason, "accepted: \(line)")
        #expect(error.contains(reason), "\(line): \(error)")
    }

    @Test func blankLinesAreSkippedAndInvalidUTF8Rejected() {
        guard case .skipped = jsonl("  \t ") else { Issue.record("blank line not skipped"); return }
        var parser = JSONLinesParser(precision: .ns)
        var record = ParsedRecord()
        let bytes = Array(#"{"device":""#.utf8) + [0xC3, 0x28] + Array(#"","v":1}"#.utf8)
        let result = bytes.withUnsafeBytes { buf in Result { () throws(IngestError) in try parser.parse(buf, lineNumber: 3, into: &record) } }
        guard case .failure(let error) = result else { Issue.record("accepted invalid UTF-8"); return }
        #expect(error.line == 3 && error.reason.contains("not valid UTF-8"))
    }
}
