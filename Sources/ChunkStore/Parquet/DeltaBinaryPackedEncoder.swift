/// DELTA_BINARY_PACKED for INT64 (Encodings.md, "Delta Encoding (DELTA_BINARY_PACKED = 5)").
///
/// Header: block size in values, miniblocks per block, total value count (uvarints) and
/// the first value (zigzag varint). Each block: its minimum delta (zigzag varint), one
/// bit-width byte per miniblock, then the miniblocks: (delta - min delta) bit-packed.
/// Deltas wrap as two's complement. The last miniblock is padded to full size; miniblocks
/// after the last value are omitted but keep a (zero) width byte.
enum DeltaBinaryPackedEncoder {
    static let blockSize = 128
    static let miniblocks = 4
    static let miniblockSize = blockSize / miniblocks

    /// Appends the encoding of `values` to `out`.
    static func encode(_ values: [Int64], into out: inout ByteWriter) {
        out.appendUVarint(UInt64(blockSize))
        out.appendUVarint(UInt64(miniblocks))
        out.appendUVarint(UInt64(values.count))
        out.appendZigZagVarint(values.first ?? 0)
        guard values.count > 1 else { return }
        var deltas = [Int64](repeating: 0, count: blockSize)
        var start = 1
        while start < values.count {
            let n = min(blockSize, values.count - start)
            var minDelta = Int64.max
            for k in 0..<n {
                let d = values[start + k] &- values[start + k - 1]
                deltas[k] = d
                minDelta = min(minDelta, d)
            }
            out.appendZigZagVarint(minDelta)
            let used = (n + miniblockSize - 1) / miniblockSize
            var widths = [Int](repeating: 0, count: miniblocks)
            for m in 0..<used {
                var widest: UInt64 = 0
                for k in (m * miniblockSize)..<min(n, (m + 1) * miniblockSize) {
                    widest |= UInt64(bitPattern: deltas[k] &- minDelta)
                }
                widths[m] = BitPacking.width(widest)
            }
            for w in widths { out.appendU8(UInt8(w)) }
            for m in 0..<used {
                guard widths[m] > 0 else { continue }
                var packer = BitPacking.Packer(bitWidth: widths[m])
                for k in (m * miniblockSize)..<((m + 1) * miniblockSize) {
                    packer.put(k < n ? UInt64(bitPattern: deltas[k] &- minDelta) : 0, into: &out)
                }
                packer.flush(into: &out)
            }
            start += n
        }
    }
}
