import Testing
@testable import ChunkStore

/// The worked example of a chunk with a rollup section (Formats/SPEC.md section 10, "A
/// chunk with a rollup section"), byte for byte: if this fails, the code and the spec
/// disagree and one of them must change (with a version bump).
@Suite struct SpecRollupExampleTests {
    static let start: Int64 = 1_767_225_600_000_000_000 // 2026-01-01T00:00:00Z
    static let minute: Int64 = 60_000_000_000
    static let hour: Int64 = 3_600_000_000_000

    /// Four rows 15 minutes apart, two in the 00:00 hour and two in the 01:00 hour.
    static var rows: ColumnarRows {
        ColumnarRows(timestamps: [30, 45, 60, 75].map { start + $0 * minute }, columns: [
            FieldColumn(name: "w", type: .float, bits: [1.5, 2.5, 2.0, 1.0].map(\.bitPattern), present: Bitmap(count: 4, value: true)),
        ])
    }

    static let expectedHex = """
    18 01 00 00 43 53 43 4b 01 01 02 6d 31 e6 4f 00
    00 04 00 00 00 00 50 56 06 f5 73 86 18 00 c8 e0
    aa 69 76 86 18 01 00 00 00 00 00 00 00 01 00 00
    00 00 00 00 00 01 00 15 00 00 00 01 77 01 04 00
    00 00 00 00 00 00 00 00 f0 3f 00 00 00 00 00 00
    04 40 00 00 00 00 00 00 1c 40 00 00 00 00 00 00
    f8 3f 00 00 00 00 00 00 f0 3f 00 50 56 06 f5 73
    86 18 00 c8 e0 aa 69 76 86 18 15 00 00 00 0a 00
    00 00 77 00 00 00 01 00 11 11 80 c0 b2 e5 a0 fd
    b9 86 31 80 d0 b8 e1 98 1a 02 00 03 00 06 06 00
    01 1e 05 34 4d 00 a0 b8 30 46 03 00 00 02 00 01
    00 10 10 80 80 d0 df bd 94 b9 86 31 80 c0 e2 85
    e3 68 02 02 00 03 03 00 04 00 03 00 05 05 00 00
    08 01 01 03 00 05 05 00 01 1e 04 09 03 00 05 05
    00 01 32 04 09 03 00 05 05 00 01 1e 04 0a 03 00
    05 05 00 01 32 05 1d 02 00 0e 0e 00 80 c0 e2 85
    e3 68 2a ff 9f b8 30 46 03 02 00 0f 0f 00 80 e0
    d3 c8 94 9d 01 2a ff 9f b8 30 46 03 42 dc 9f ad
    """

    /// The cell statistics the SPEC's table gives.
    static var expectedCells: [FieldStats] {
        func cell(_ values: [Double], sum: Double, min: Double, max: Double, at times: (Int64, Int64)) -> FieldStats {
            var stats = FieldStats()
            stats.count = values.count
            stats.sum = sum
            stats.minBits = min.bitPattern
            stats.maxBits = max.bitPattern
            stats.firstBits = values[0].bitPattern
            stats.lastBits = values[values.count - 1].bitPattern
            let first: Int64 = start + times.0 * minute
            let last: Int64 = start + times.1 * minute
            stats.firstTimestamp = first
            stats.lastTimestamp = last
            return stats
        }
        return [cell([1.5, 2.5], sum: 4.0, min: 1.5, max: 2.5, at: (30, 45)),
                cell([2.0, 1.0], sum: 3.0, min: 1.0, max: 2.0, at: (60, 75))]
    }

    @Test func chunkWithRollupBytesMatchTheSpec() throws {
        var encoder = ChunkEncoder()
        var out = ByteWriter()
        encoder.encode(device: "m1", day: 20454, sequence: 1, walLSN: 1, rows: Self.rows, into: &out)
        let text = SpecExampleTests.hex(out.bytes)
        if text != Self.expectedHex { print("SPEC ROLLUP EXAMPLE\n\(text)\nEND") }
        #expect(text == Self.expectedHex)

        let header = try out.bytes.withUnsafeBytes { try ChunkDecoder.decodeHeader($0) }
        #expect(header.rollupLength == 119)
        #expect(header.rollupOffset == 4 + 130 + 21 + 10)
        let decoded = try out.bytes.withUnsafeBytes { try ChunkDecoder.decodeRows($0, header: header, fields: nil) }
        #expect(decoded == Self.rows)
        let rollup = try #require(try out.bytes.withUnsafeBytes { try ChunkDecoder.decodeRollup($0, header: header) })
        #expect(rollup.cellStarts == [Self.start, Self.start + Self.hour])
        #expect(rollup.stats == [Self.expectedCells])
        try out.bytes.withUnsafeBytes { try ChunkDecoder.checkRollup($0, header: header, rows: decoded) }
    }

    /// The section is covered by the record's CRC: flipping any byte of it is caught.
    @Test func everyRollupByteIsCovered() throws {
        var encoder = ChunkEncoder()
        var out = ByteWriter()
        encoder.encode(device: "m1", day: 20454, sequence: 1, walLSN: 1, rows: Self.rows, into: &out)
        let record = out.bytes
        let header = try record.withUnsafeBytes { try ChunkDecoder.decodeHeader($0) }
        for offset in header.rollupOffset..<header.rollupOffset + header.rollupLength {
            var bad = record
            bad[offset] ^= 0x01
            #expect(throws: FormatError.self, "byte \(offset)") {
                _ = try bad.withUnsafeBytes { try ChunkDecoder.decodeHeader($0) }
            }
        }
    }
}
