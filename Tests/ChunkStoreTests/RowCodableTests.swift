import ChunkStore
import Foundation
import Testing

/// `FieldValue+Codable.swift` and `Row+Codable.swift`: rows in JSON and back.
@Suite struct RowCodableTests {
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func roundTrip<T: Codable>(_ value: T) throws -> T {
        try JSONDecoder().decode(T.self, from: try JSONEncoder().encode(value))
    }

    @Test func fieldValuesAreObjectsNamingTheirType() throws {
        #expect(try Self.json(FieldValue.float(1.5)) == #"{"float":1.5}"#)
        #expect(try Self.json(FieldValue.int(-3)) == #"{"int":-3}"#)
        #expect(try Self.json(FieldValue.uint(.max)) == #"{"uint":18446744073709551615}"#)
        #expect(try Self.json(FieldValue.bool(true)) == #"{"bool":true}"#)
        #expect(try Self.json(FieldValue.float(.nan)) == #"{"float":"NaN"}"#)
        #expect(try Self.json(FieldValue.float(.infinity)) == #"{"float":"+Inf"}"#)
        #expect(try Self.json(FieldValue.float(-.infinity)) == #"{"float":"-Inf"}"#)
    }

    @Test func everyValueRoundTripsWithItsTypeAndBits() throws {
        let values: [FieldValue] = [.float(1.5), .float(0.1), .float(-0.0), .float(.greatestFiniteMagnitude), .float(.leastNonzeroMagnitude),
                                    .float(.infinity), .float(-.infinity), .float(1), .int(.min), .int(.max), .int(0),
                                    .uint(.max), .uint(0), .bool(false), .bool(true)]
        for value in values {
            #expect(try Self.roundTrip(value) == value, "\(value)")  // == compares type and bits
        }
        // Every NaN comes back as a NaN (its payload is not kept).
        let nan = try Self.roundTrip(FieldValue.float(Double(nan: 7, signaling: false)))
        guard case .float(let v) = nan else { Issue.record("\(nan)"); return }
        #expect(v.isNaN)
        // 1.0 stays a float although JSON writes it `1`.
        #expect(try JSONDecoder().decode(FieldValue.self, from: Data(#"{"float":1}"#.utf8)) == .float(1))
    }

    @Test func malformedValuesAreRefused() {
        for text in [#"{}"#, #"{"float":1,"int":2}"#, #"{"float":"nan"}"#, #"{"float":"Infinity"}"#, #"{"int":1.5}"#,
                     #"{"uint":-1}"#, #"{"bool":1}"#, #"{"string":"x"}"#, #"1.5"#] {
            #expect(throws: DecodingError.self, "\(text)") { try JSONDecoder().decode(FieldValue.self, from: Data(text.utf8)) }
        }
    }

    @Test func rowsRoundTrip() throws {
        let row = Row(device: "m1", timestamp: 1_767_225_600_000_000_005,
                      fields: ["power": .float(.nan), "count": .int(3), "on": .bool(false), "e": .float(-.infinity)])
        #expect(try Self.json(Row(device: "m1", timestamp: 5, fields: ["p": .float(2.5)]))
            == #"{"device":"m1","fields":{"p":{"float":2.5}},"timestamp":5}"#)
        let back = try Self.roundTrip(row)
        #expect(back.device == row.device && back.timestamp == row.timestamp)
        #expect(back.fields.count == 4 && back.fields["power"].map { $0.doubleValue.isNaN } == true)
        #expect(back.fields.filter { $0.key != "power" } == row.fields.filter { $0.key != "power" })

        let latest = LatestRow(device: "m2", timestamp: -1, fields: ["v": .uint(7)])
        #expect(try Self.json(latest) == #"{"device":"m2","fields":{"v":{"uint":7}},"timestamp":-1}"#)
        #expect(try Self.roundTrip(latest) == latest)

        let bucket = DownsampleRow(device: "m3", bucketStart: 3_600, values: [.float(1), nil, .float(.infinity), .int(2)])
        #expect(try Self.json(bucket) == #"{"bucketStart":3600,"device":"m3","values":[{"float":1},null,{"float":"+Inf"},{"int":2}]}"#)
        #expect(try Self.roundTrip(bucket) == bucket)

        let result = DownsampleResult(fields: ["a", "b"], functions: [.mean, .count], rows: [bucket])
        #expect(try Self.roundTrip(result) == result)
        #expect(try Self.json(result).hasPrefix(#"{"fields":["a","b"],"functions":["mean","count"],"rows":[{"#))
        let short = #"{"fields":["a"],"functions":["mean"],"rows":[{"device":"m","bucketStart":0,"values":[]}]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DownsampleResult.self, from: Data(short.utf8)) }
    }
}
