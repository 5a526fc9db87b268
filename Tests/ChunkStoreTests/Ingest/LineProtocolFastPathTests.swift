import Testing
@testable import ChunkStore

/// The fast path must either decline a line or give exactly what the full parse gives.
@Suite struct LineProtocolFastPathTests {
    /// Parses `text` both ways with fresh parsers; returns whether the fast path took it,
    /// after checking that its result equals the full parse's.
    @discardableResult
    func agree(_ text: String, deviceTag: String = "device", precision: TimestampPrecision = .ns,
               sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        var fast = LineProtocolParser(deviceTag: deviceTag, precision: precision)
        var row = LineProtocolRow()
        let took = withBytes(text) { fast.parseFast($0, into: &row) }
        let full = lp(text, deviceTag: deviceTag, precision: precision)
        guard took else { return false }
        guard let record = full.record else {
            Issue.record("fast path took \(text.debugDescription), the full parse did not: \(full.reason ?? "skipped")",
                         sourceLocation: sourceLocation)
            return true
        }
        #expect(fast.deviceName(of: row.deviceID) == record.device, sourceLocation: sourceLocation)
        #expect(row.timestamp == record.timestamp, sourceLocation: sourceLocation)
        let fastFields = (0..<row.count).map { k in
            (fast.names.name(of: LineProtocolRow.id(ofShape: row.shapes[k])) ?? "?", LineProtocolRow.type(ofShape: row.shapes[k]),
             row.values[k])
        }
        let fullFields = record.fields.map { ($0.name, $0.value.type, $0.value.storageBits) }
        #expect(fastFields.map(\.0) == fullFields.map(\.0), "\(text)", sourceLocation: sourceLocation)
        #expect(fastFields.map(\.1) == fullFields.map(\.1), "\(text)", sourceLocation: sourceLocation)
        #expect(fastFields.map(\.2) == fullFields.map(\.2), "\(text)", sourceLocation: sourceLocation)
        return true
    }

    @Test func fastPathInfersPrecisionLikeTheFullParse() {
        for t in ["5", "1795996800", "1795996800000", "1795996800000000", "1795996800000000000", "-1795996800"] {
            #expect(agree("m,device=d v=1 \(t)", precision: .auto), "\(t)")
        }
        #expect(!agree("m,device=d v=1 50000000000000000", precision: .auto))
    }

    @Test func takesTheCommonShape() {
        #expect(agree("meter,device=meter-0001 power=123.4,voltage=230.1,current=0.54,energy=12345i 1700000000123"))
        #expect(agree("m,site=a,device=d,room=b v=1 1"))
        #expect(agree("m,device=d v=1"))
        #expect(agree("m,device=d v=1   "))
        #expect(agree("m,device=d  v=1 \t17 \t"))
        #expect(agree("m,device=d v=1 1704067200618000000"))
        #expect(agree("m,device=d v=1 9223372036854775807"))
        #expect(agree("m,host=h v=1 5", deviceTag: "host"))
        #expect(agree("m,device=d v=1 5", precision: .s))
        #expect(!agree("m,device=a,device=b v=1"), "a repeated tag key is left to the full parse, which rejects it")
    }

    @Test func numbersAgreeBitForBit() {
        let floats = ["0", "-0", "-0.0", "0.0", "1", "1.", ".5", "-.5", "+2", "1.5", "-1.5", "0.54", "0.0054", "123.4",
                      "230.1", "3.141592653589793", "3.141592653589793238", "9007199254740992", "9007199254740993",
                      "9007199254740993.0", "1234567890123456789", "12345678901234567890", "0.1234567890123456789",
                      "00000000000000000001.5", "1e3", "1E-2", "-1e3", "2.5e-300", "1e308", "123456789012345678901234",
                      "0.30000000000000004", "4.35", "1.7976931348623157e308", "5e-324", "000.000"]
        for text in floats {
            #expect(agree("m,device=d v=\(text) 1"), "\(text)")
            #expect(agree("m,device=d v=\(text),w=1 1"), "\(text)")
        }
        let integers = ["0i", "-0i", "1i", "-1i", "12345i", "999999999999999999i", "-999999999999999999i",
                        "9223372036854775807i", "-9223372036854775808i", "+5i", "7u", "9223372036854775807u"]
        for text in integers { #expect(agree("m,device=d v=\(text) 1"), "\(text)") }
        for word in ["t", "T", "true", "True", "TRUE", "f", "F", "false", "False", "FALSE"] {
            #expect(agree("m,device=d v=\(word) 1"), "\(word)")
        }
    }

    @Test func timestampsOfEveryLength() {
        for n in 1...24 {
            let digits = String((0..<n).map { Character(String(($0 * 7 + 3) % 10)) })
            agree("m,device=d v=1 \(digits)")
            agree("m,device=d v=1 \(digits) ")
            agree("m,device=d v=1 \(digits)x")
            agree("m,device=d v=1 -\(digits)")
            if n <= 18 { #expect(agree("m,device=d v=1 \(digits)"), "\(n) digits") }
        }
        for text in ["1704067200618000000", "0000000000000000001", "9223372036854775807", "12345678a", "1234567890123456a",
                     "1234/678", "1234:678", "12345678901234567:9"] {
            agree("m,device=d v=1 \(text)")
        }
    }

    @Test func eightDigitWords() {
        func word(_ text: String) -> UInt64 {
            Array(text.utf8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        }
        #expect(LineProtocolParser.eightDigits(word("12345678")) == 12_345_678)
        #expect(LineProtocolParser.eightDigits(word("00000000")) == 0)
        #expect(LineProtocolParser.eightDigits(word("99999999")) == 99_999_999)
        #expect(LineProtocolParser.eightDigits(word("00000001")) == 1)
        for i in 0..<8 {
            for bad: UInt8 in [0x2F, 0x3A, 0x20, 0x00, 0xFF, 0xB0, 0x39 + 0x80, UInt8(ascii: "a")] {
                var bytes = Array("12345678".utf8)
                bytes[i] = bad
                let w = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                #expect(LineProtocolParser.eightDigits(w) == nil, "byte \(i) = \(bad)")
            }
        }
    }

    /// Random values in the middle of a line and at its very end.
    @Test func randomValuesAgreeInEveryPosition() {
        var state: UInt64 = 7
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        func digits(_ count: Int) -> String { String((0..<count).map { _ in Character(String(next(10))) }) }
        for _ in 0..<3000 {
            var text = next(4) == 0 ? "-" : ""
            text += digits(next(22))
            switch next(6) {
            case 0: text += "i"
            case 1, 2, 3: text += "." + digits(next(22))
            case 4: text += "." + digits(next(3)) + "e" + String(next(40) - 20)
            default: break
            }
            agree("m,device=d v=\(text),w=1.5 1704067200618000000")
            agree("m,device=d w=1,v=\(text)")
        }
        #expect(agree("m,device=d v=1733.5,w=-0.54,x=12345i,y=-0.0,z=1234567.1234567 1704067200618000000"))
        #expect(agree("m,device=d v=.5,w=5.,x=-.25,y=0000000.0000001,z=-7i 1704067200618000000"))
    }

    @Test func declinesWhatItDoesNotHandle() {
        let lines = [
            "", "  ", "# comment", " m,device=d v=1", "\tm,device=d v=1",
            "m v=1", "m,site=a v=1", "m,dev\\ ice=d v=1", "m\\,x,device=d v=1", "m,device=d\\ e v=1",
            "m,device=d f\\=x=1", "m,device=d v=\"text\"", "m,device=d v=1,v=2", "m,device=d v=1,w=2,v=3",
            "m,device=d é=1", "m,device=d v=1 -5", "m,device=d v=1 +5", "m,device=d v=1 12345678901234567890",
            "m,device=d v=1 1 2", "m,device=d v=1 1x", "m,device=d v=1 1\r", "m,device=d ,v=1",
        ]
        for text in lines { agree(text) }
        #expect(!agree("m,device=d v=1,v=2"))
        #expect(!agree("m,device=d é=1"))
        #expect(!agree("m v=1"))
    }

    @Test func declinesEveryMalformedLine() {
        let lines = [
            "m", "m,device=d", "m,device=d ", ",device=d v=1", "m,=d v=1", "m,device v=1", "m,device= v=1",
            "m,device=d=e v=1", "m,device=d v", "m,device=d v=", "m,device=d v=1,", "m,device=d v=1,,w=2",
            "m,device=d v=abc", "m,device=d v=inf", "m,device=d v=NaN", "m,device=d v=-nan", "m,device=d v=1e",
            "m,device=d v=1.5i", "m,device=d v=9223372036854775808i", "m,device=d v=-1u", "m,device=d v=18446744073709551616u",
            "m,device=d v=1.5u", "m,device=d v=1e400", "m,device=d v=1x 1", "m,device=d v=1\t1",
            "m,device=d v=--1", "m,device=d v=-", "m,device=d v=.", "m,device=d v=1 9223372036854775808",
            "m,device=d v=1 99999999999999999999", "m,device=d v=tru", "m,device=\u{7} v=1",
        ]
        for text in lines {
            #expect(!agree(text), "\(text.debugDescription)")
            #expect(lp(text).reason != nil, "\(text.debugDescription)")
        }
        // Scaling past the Int64 range is an error of the full parse only.
        #expect(!agree("m,device=d v=1 9223372037", precision: .s))
    }

    @Test func repeatedLinesReuseHints() {
        var fast = LineProtocolParser(precision: .ns)
        var row = LineProtocolRow()
        let lines = ["m,device=a x=1,y=2i 1", "m,device=b x=3,y=4i 2", "m,device=a y=5i,x=6 3", "m,device=a x=1,y=2i,z=t 4"]
        var shapes: [[Int]] = []
        for text in lines {
            #expect(withBytes(text) { fast.parseFast($0, into: &row) })
            shapes.append(row.lineShapes)
        }
        #expect(shapes[0] == shapes[1], "same names and types, same shapes")
        #expect(shapes[0] != shapes[2])
        #expect(Array(shapes[3].prefix(2)) == shapes[0])
    }

    @Test func wideLinesFitAfterTheFirst() {
        let fields = (0..<40).map { "f\($0)=\($0)" }.joined(separator: ",")
        var fast = LineProtocolParser(precision: .ns)
        var row = LineProtocolRow()
        let text = "m,device=d \(fields) 1"
        let first = withBytes(text) { fast.parseFast($0, into: &row) }
        let second = withBytes(text) { fast.parseFast($0, into: &row) }
        #expect(!first && second && row.count == 40)
        #expect(agree(text) == false)
    }
}
