import Testing
@testable import ChunkStore

/// `String(utf8Name:)` answers exactly what `String(validating:as:)` answers, on ASCII
/// (the fast path) and on anything else, at lengths around the 8-byte word.
@Suite struct UTF8NamesTests {
    static let samples: [[UInt8]] = [
        [], Array("m".utf8), Array("meter-0001".utf8), Array("exactly8".utf8), Array("sixteen-bytes-ab".utf8),
        Array("Zähler-Küche".utf8), Array("電表-7".utf8), Array("🔌plug".utf8),
        [0x80], [0xC3], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF],
        Array("abcdefg".utf8) + [0xC0, 0xAF], Array("abcdefgh".utf8) + [0x80] + Array("ijklmno".utf8),
    ]

    @Test func agreesWithValidatingInit() {
        var rng = SeededRandom(seed: 5)
        var cases = Self.samples
        for _ in 0..<2_000 {
            let n = Int.random(in: 0...24, using: &rng)
            cases.append((0..<n).map { _ in rng.chance(0.9) ? UInt8.random(in: 0x20...0x7E, using: &rng) : UInt8(truncatingIfNeeded: rng.next()) })
        }
        for bytes in cases {
            bytes.withUnsafeBytes { raw in
                #expect(String(utf8Name: raw) == String(validating: raw, as: UTF8.self), "\(bytes)")
            }
        }
    }
}
