import Testing
@testable import ChunkStore

/// Word-at-a-time block packing against packing field by field with ``BitWriter``.
@Suite struct FormatPackedBlocksTests {
    private func reference(_ values: [UInt64]) -> [UInt8] {
        var out = ByteWriter()
        var bits = BitWriter()
        var start = 0
        while start < values.count {
            let block = values[start..<min(start + PackedBlocks.blockSize, values.count)]
            let width = 64 - block.reduce(0, |).leadingZeroBitCount
            out.appendU8(UInt8(width))
            if width > 0 {
                for v in block { bits.write(v, width: width, to: &out) }
                bits.finish(to: &out)
            }
            start += block.count
        }
        return out.bytes
    }

    @Test func matchesFieldByFieldPacking() throws {
        var rng = SeededRandom(seed: 41)
        for width in 0...64 {
            for count in [1, 2, 3, 7, 8, 63, 64, 65, 127, 128, 129, 255, 256, 300] {
                let values = (0..<count).map { i -> UInt64 in
                    guard width > 0 else { return 0 }
                    let v = rng.next() >> UInt64(64 - width)
                    // Some blocks narrower than `width`, and maximal values.
                    return i % 17 == 0 ? (width == 64 ? .max : (1 << UInt64(width)) - 1) : (i % 29 == 0 ? v >> 3 : v)
                }
                var out = ByteWriter()
                PackedBlocks.encode(values, into: &out)
                #expect(out.bytes == reference(values), "width \(width), count \(count)")
                var decoded: [UInt64] = []
                try out.bytes.withUnsafeBytes { raw in
                    var r = ByteReader(raw)
                    try PackedBlocks.decode(&r, count: count, into: &decoded)
                    #expect(r.isAtEnd)
                }
                #expect(decoded == values)
            }
        }
    }
}
