import Testing
@testable import ChunkStore

/// The worked chunk example of Formats/SPEC.md section 10, byte for byte: if this fails,
/// the code and the spec disagree and one of them must change (with a version bump).
@Suite struct SpecExampleTests {
    static let start: Int64 = 1_767_225_600_000_000_000 // 2026-01-01T00:00:00Z

    static var rows: ColumnarRows {
        ColumnarRows(timestamps: [start, start + 60_000_000_000, start + 120_000_000_000], columns: [
            FieldColumn(name: "kwh", type: .int, bits: [100, 0, 103].map { UInt64($0) }, present: Bitmap([true, false, true])),
            FieldColumn(name: "w", type: .float, bits: [1.5, 1.75, 2.0].map(\.bitPattern), present: Bitmap(count: 3, value: true)),
        ])
    }

    static let expectedHex = """
    f1 00 00 00 43 53 43 4b 01 00 02 6d 31 e6 4f 00
    00 03 00 00 00 00 00 fa ed 51 72 86 18 00 b0 88
    de 6d 72 86 18 01 00 00 00 00 00 00 00 01 00 00
    00 00 00 00 00 02 00 15 00 00 00 03 6b 77 68 02
    02 00 00 00 64 00 00 00 00 00 00 00 67 00 00 00
    00 00 00 00 00 00 00 00 00 60 69 40 64 00 00 00
    00 00 00 00 67 00 00 00 00 00 00 00 00 00 fa ed
    51 72 86 18 00 b0 88 de 6d 72 86 18 15 00 00 00
    0a 00 00 00 01 77 01 03 00 00 00 00 00 00 00 00
    00 f8 3f 00 00 00 00 00 00 00 40 00 00 00 00 00
    00 15 40 00 00 00 00 00 00 f8 3f 00 00 00 00 00
    00 00 40 00 00 fa ed 51 72 86 18 00 b0 88 de 6d
    72 86 18 1f 00 00 00 0b 00 00 00 01 00 11 11 80
    80 d0 df bd 94 b9 86 31 80 b0 9d c2 df 01 02 00
    02 00 06 06 01 05 c8 01 03 06 03 00 07 07 00 02
    ac 02 06 b2 0c aa 76 ba df
    """

    static func hex(_ bytes: [UInt8]) -> String {
        stride(from: 0, to: bytes.count, by: 16).map { line in
            bytes[line..<min(line + 16, bytes.count)].map { b in
                let s = String(b, radix: 16)
                return s.count == 1 ? "0" + s : s
            }.joined(separator: " ")
        }.joined(separator: "\n")
    }

    @Test func chunkBytesMatchTheSpec() throws {
        var encoder = ChunkEncoder()
        var out = ByteWriter()
        encoder.encode(device: "m1", day: 20454, sequence: 1, walLSN: 1, rows: Self.rows, into: &out)
        let text = Self.hex(out.bytes)
        if text != Self.expectedHex { print("SPEC EXAMPLE\n\(text)\nEND") }
        #expect(text == Self.expectedHex)
        let header = try out.bytes.withUnsafeBytes { try ChunkDecoder.decodeHeader($0) }
        let decoded = try out.bytes.withUnsafeBytes { try ChunkDecoder.decodeRows($0, header: header, fields: nil) }
        #expect(decoded == Self.rows)
    }

    /// §4: a chunk whose timestamps do not strictly increase is rejected when read, even
    /// with a valid checksum and matching min/max (a writer must never produce one).
    @Test func chunkWithUnorderedTimestampsIsRejected() throws {
        let t0 = Self.rows.timestamps[0]
        for timestamps in [[t0, t0 - 7, t0 + 9], [t0, t0, t0 + 9]] {
            let rows = ColumnarRows(timestamps: timestamps, columns: [
                FieldColumn(name: "p", type: .int, bits: [1, 2, 3], present: Bitmap(count: 3, value: true)),
            ])
            var encoder = ChunkEncoder()
            var out = ByteWriter()
            encoder.encode(device: "m1", day: 20454, sequence: 1, walLSN: 1, rows: rows, into: &out)
            let header = try out.bytes.withUnsafeBytes { try ChunkDecoder.decodeHeader($0) }
            #expect(throws: FormatError.self) {
                _ = try out.bytes.withUnsafeBytes { try ChunkDecoder.decodeRows($0, header: header, fields: nil) }
            }
        }
    }
}
