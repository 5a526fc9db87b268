/// DELTA_BINARY_PACKED for INT64 (Encodings.md, "Delta Encoding (DELTA_BINARY_PACKED = 5)").
///
/// Header: block size in values, miniblocks per block, total value count (uvarints) and
/// the first value (zigzag varint). Each block: its minimum delta (zigzag varint), one
/// bit-width byte per miniblock, then the miniblocks: (delta - min delta) bit-packed,
/// each in the fewest bits its own values need. Deltas wrap as two's complement. The last
/// miniblock is padded to full size; miniblocks after the last value are omitted but keep
/// a (zero) width byte.
enum DeltaBinaryPackedEncoder {
    /// Block size and miniblocks per block. The spec asks for a block size that is a
    /// multiple of 128 and miniblocks of a multiple of 32 values.
    struct Layout: Equatable, Sendable {
        var blockSize: Int
        var miniblocks: Int
        var miniblockSize: Int { blockSize / miniblocks }

        /// Small miniblocks: widths follow values that vary in size (counters, sparse jumps).
        static let small = Layout(blockSize: 128, miniblocks: 4)
        /// Large miniblocks: for evenly noisy deltas (timestamps with jitter) the width is
        /// the same in every miniblock, so fewer block headers win.
        static let large = Layout(blockSize: 1024, miniblocks: 4)
        /// Large blocks of small miniblocks: one header per 1,024 values, yet a rare wide
        /// delta (a gap) widens only its own 32 values.
        static let wide = Layout(blockSize: 1024, miniblocks: 32)
        static let candidates: [Layout] = [.small, .wide, .large]
    }

    /// Appends the encoding of `values` to `out` in the small layout.
    static func encode(_ values: [Int64], into out: inout ByteWriter) {
        encode(values[...], layout: .small, into: &out)
    }

    /// The layout among ``Layout/candidates`` that encodes `sample` in the fewest bytes.
    static func bestLayout(for sample: ArraySlice<Int64>) -> Layout {
        var best = Layout.small, bestSize = Int.max
        var out = ByteWriter(capacity: sample.count * 8 + 64)
        for layout in Layout.candidates {
            out.reset()
            encode(sample, layout: layout, into: &out)
            if out.count < bestSize { best = layout; bestSize = out.count }
        }
        return best
    }

    /// Appends the encoding of `values` to `out`.
    static func encode(_ values: ArraySlice<Int64>, layout: Layout, into out: inout ByteWriter) {
        out.appendUVarint(UInt64(layout.blockSize))
        out.appendUVarint(UInt64(layout.miniblocks))
        out.appendUVarint(UInt64(values.count))
        out.appendZigZagVarint(values.first ?? 0)
        guard values.count > 1 else { return }
        let per = layout.miniblockSize
        var deltas = [UInt64](repeating: 0, count: layout.blockSize)
        var widths = [Int](repeating: 0, count: layout.miniblocks)
        values.withUnsafeBufferPointer { v in
            deltas.withUnsafeMutableBufferPointer { d in
                var start = 1
                while start < v.count {
                    let n = min(layout.blockSize, v.count - start)
                    var minDelta = Int64.max
                    for k in 0..<n {
                        let delta = v[start + k] &- v[start + k - 1]
                        d[k] = UInt64(bitPattern: delta)
                        minDelta = min(minDelta, delta)
                    }
                    out.appendZigZagVarint(minDelta)
                    let base = UInt64(bitPattern: minDelta)
                    for k in 0..<n { d[k] &-= base }
                    let used = (n + per - 1) / per
                    for m in 0..<layout.miniblocks {
                        var widest: UInt64 = 0
                        if m < used {
                            for k in (m * per)..<min(n, (m + 1) * per) { widest |= d[k] }
                        }
                        widths[m] = BitPacking.width(widest)
                        out.appendU8(UInt8(widths[m]))
                    }
                    for m in 0..<used where widths[m] > 0 {
                        let first = m * per
                        BitPacking.pack(count: min(per, n - first), paddedTo: per, bitWidth: widths[m], into: &out) { d[first + $0] }
                    }
                    start += n
                }
            }
        }
    }
}
