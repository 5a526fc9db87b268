import Testing
@testable import ChunkStore

@Suite struct ShortNameKeyTests {
    func key(_ bytes: [UInt8]) -> ShortNameKey {
        bytes.withUnsafeBytes { ShortNameKey($0.baseAddress!, count: bytes.count) }
    }

    func matches(_ k: ShortNameKey, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { k.matches($0.baseAddress!, count: bytes.count) }
    }

    /// Every length up to 16: a name matches itself, and changing any one byte, or the
    /// length, breaks the match.
    @Test func everyByteCounts() {
        for n in 1...16 {
            let name = (0..<n).map { UInt8(ascii: "a") + UInt8($0) }
            let k = key(name)
            #expect(k.isShort && matches(k, name))
            for i in 0..<n {
                var other = name
                other[i] = UInt8(ascii: "Z")
                #expect(!matches(k, other), "length \(n), byte \(i)")
            }
            #expect(!matches(k, name + [UInt8(ascii: "a")]))
            if n > 1 { #expect(!matches(k, Array(name.dropLast()))) }
        }
        #expect(!key(Array(repeating: 0x61, count: 17)).isShort)
    }

    @Test func internerHintsAgreeWithFullLookups() throws {
        var names = NameInterner()
        let words = ["a", "ab", "abc", "abcd", "abcde", "voltage", "voltages", "current_a", "a_rather_long_field_name", "é"]
        var ids: [String: Int] = [:]
        for w in words {
            let found = withBytes(w) { names.lookupID($0, hint: -1) }
            ids[w] = try #require(found).id
        }
        for w in words {
            for (other, hint) in ids {
                let got = withBytes(w) { names.lookupID($0, hint: hint) }
                #expect(got?.id == ids[w], "\(w) with the hint of \(other)")
                #expect(got?.isASCII == w.utf8.allSatisfy { $0 < 0x80 })
            }
        }
        #expect(withBytes("bad\u{1}name") { names.lookupID($0, hint: -1) } == nil)
    }
}
