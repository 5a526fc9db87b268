import ChunkStore
import ChunkStoreCLICore
import Foundation
import Testing

/// The JSON and JSON-lines rows `query`, `last` and the server's answers print: built as
/// bytes, they must still be valid JSON holding exactly the values given.
@Suite struct RowWriterJSONTests {
    static let columns = ["device", "time", "we\"ird\\name\n", "i", "u", "b", "missing"]

    static func rows() -> [[Cell]] {
        [
            [.text("meter-1"), .time(0), .value(.float(1.5)), .value(.int(-7)), .value(.uint(UInt64.max)), .value(.bool(true)), .value(nil)],
            [.text("meter-1"), .time(-1), .value(.float(.nan)), .value(.int(0)), .value(.uint(0)), .value(.bool(false)), .value(nil)],
            [.text("m\"\\\t\u{1}é"), .time(1_767_225_600_123_456_789), .value(.float(-0.1)), .value(.int(Int64.min)), .value(.uint(1)),
             .value(.bool(true)), .value(nil)],
        ]
    }

    static func render(_ format: OutputFormat, epoch: EpochUnit?) throws -> String {
        let out = TextBuffer()
        let writer = RowWriter(format: format, columns: columns, epoch: epoch, out: out)
        for row in rows() { writer.row(row) }
        try writer.finish()
        return out.text
    }

    @Test func jsonArrayIsValidAndExact() throws {
        let text = try Self.render(.json, epoch: nil)
        #expect(text.hasPrefix("[\n{") && text.hasSuffix("}\n]\n"))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(parsed.count == 3)
        #expect(parsed[0]["device"] as? String == "meter-1")
        #expect(parsed[0]["time"] as? String == "1970-01-01T00:00:00.000000000Z")
        #expect(parsed[1]["time"] as? String == "1969-12-31T23:59:59.999999999Z")
        #expect(parsed[2]["time"] as? String == "2026-01-01T00:00:00.123456789Z")
        #expect(parsed[2]["device"] as? String == "m\"\\\t\u{1}é")
        #expect((parsed[0][Self.columns[2]] as? NSNumber)?.doubleValue == 1.5)
        #expect(parsed[1][Self.columns[2]] is NSNull, "NaN is null")
        #expect((parsed[2][Self.columns[2]] as? NSNumber)?.doubleValue == -0.1)
        #expect((parsed[2]["i"] as? NSNumber)?.int64Value == Int64.min)
        #expect((parsed[0]["u"] as? NSNumber)?.uint64Value == UInt64.max)
        #expect(parsed.map { ($0["b"] as? NSNumber)?.boolValue } == [true, false, true])
        #expect(parsed.allSatisfy { $0["missing"] is NSNull })
        // Keys keep the column order.
        #expect(text.contains("{\"device\":\"meter-1\",\"time\":\"1970-01-01T00:00:00.000000000Z\",\"we\\\"ird\\\\name\\n\":1.5,"))
    }

    @Test func jsonLinesWithEpochAreOneObjectPerLine() throws {
        let text = try Self.render(.jsonl, epoch: .ms)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3 && text.hasSuffix("}\n"))
        let times = try lines.map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return (object["time"] as? NSNumber)?.int64Value
        }
        #expect(times == [0, -1, 1_767_225_600_123])
    }

    @Test func emptyArray() throws {
        let out = TextBuffer()
        try RowWriter(format: .json, columns: ["device"], epoch: nil, out: out).finish()
        #expect(out.text == "[]\n")
    }
}
