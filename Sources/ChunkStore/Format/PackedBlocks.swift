/// Bit-packing of unsigned values in blocks of 128, the back end of the integer,
/// decimal-float and timestamp codecs.
///
/// Each block is one width byte `w` (0...64, the bit length of the block's largest
/// value) followed by the block's values packed at `w` bits each in ``BitWriter`` order
/// (least significant bit first), padded to a byte boundary: `ceil(k * w / 8)`
/// bytes for `k` values (`16 * w` for a full block); padding bits must be zero. A block whose values are all
/// zero is just the byte 0, which is how regular series cost almost nothing.
/// Per-block widths keep one outlier from widening the whole column.
enum PackedBlocks {
    static let blockSize = 128

    static func encode(_ values: UnsafeBufferPointer<UInt64>, into out: inout ByteWriter) {
        // A block packs into at most 128 words; they are assembled on the stack and
        // appended with one copy instead of byte by byte.
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: blockSize + 1) { words in
            var start = 0
            while start < values.count {
                let end = min(start + blockSize, values.count)
                var union: UInt64 = 0
                for i in start..<end { union |= values[i] }
                let width = 64 - union.leadingZeroBitCount
                out.appendU8(UInt8(width))
                if width > 0 {
                    let used = pack(UnsafeBufferPointer(rebasing: values[start..<end]), width: width, into: words.baseAddress!)
                    out.append(UnsafeRawBufferPointer(start: words.baseAddress!, count: used))
                }
                start = end
            }
        }
    }

    /// Packs `values` (each below 2^width, 1 <= width <= 64) least significant bit first
    /// into little-endian words at `words`, which must hold `values.count` words plus one;
    /// returns the number of bytes the fields occupy, `ceil(count * width / 8)`.
    @inline(__always)
    static func pack(_ values: UnsafeBufferPointer<UInt64>, width: Int, into words: UnsafeMutablePointer<UInt64>) -> Int {
        var accumulator: UInt64 = 0
        var filled = 0
        var w = 0
        for v in values {
            accumulator |= v &<< UInt64(filled)
            filled += width
            if filled >= 64 {
                words[w] = accumulator.littleEndian
                w += 1
                filled -= 64
                // The high `filled` bits of `v` that did not fit; none when it ended exactly.
                accumulator = filled == 0 ? 0 : v &>> UInt64(width - filled)
            }
        }
        words[w] = accumulator.littleEndian
        return w * 8 + (filled + 7) / 8
    }

    static func encode(_ values: [UInt64], into out: inout ByteWriter) {
        values.withUnsafeBufferPointer { encode($0, into: &out) }
    }

    /// Appends `count` values to `out`.
    static func decode(_ reader: inout ByteReader, count: Int, into out: inout [UInt64]) throws {
        guard count >= 0 else { throw FormatError(offset: reader.offset, "negative value count \(count)") }
        let blocks = (count + blockSize - 1) / blockSize
        // Every block costs at least its width byte: refuse counts the bytes cannot hold
        // before reserving memory for them.
        guard blocks <= reader.remaining else {
            throw FormatError(offset: reader.offset,
                              "\(count) packed values need at least \(blocks) bytes, only \(reader.remaining) remain")
        }
        out.reserveCapacity(out.count + count)
        // A block's bytes are copied into a zero-padded scratch buffer so that every field
        // can be read with one unaligned 8-byte load and no bounds checks per value.
        var scratch = [UInt8](repeating: 0, count: blockSize * 8 + 16)
        var left = count
        while left > 0 {
            let k = min(blockSize, left)
            let widthOffset = reader.offset
            let width = Int(try reader.readU8())
            guard width <= 64 else {
                throw FormatError(offset: widthOffset, "packed block width \(width) exceeds 64")
            }
            if width == 0 {
                out.append(contentsOf: repeatElement(0, count: k))
            } else {
                let byteCount = (k * width + 7) / 8
                let dataOffset = reader.offset
                let block = try reader.readBytes(byteCount)
                let usedBits = k * width
                if usedBits & 7 != 0, block[byteCount - 1] >> UInt8(usedBits & 7) != 0 {
                    throw FormatError(offset: dataOffset + byteCount - 1, "non-zero padding bits after a packed block")
                }
                let base = out.count
                out.append(contentsOf: repeatElement(0, count: k))
                scratch.withUnsafeMutableBytes { padded in
                    padded.copyMemory(from: block)
                    for i in byteCount..<min(byteCount + 16, padded.count) { padded[i] = 0 }
                    out.withUnsafeMutableBufferPointer { values in
                        Self.unpack(padded, width: width, count: k, into: values.baseAddress! + base)
                    }
                }
            }
            left -= k
        }
    }

    /// Unpacks `count` fields of `width` bits from `bytes`, which must have at least 16
    /// readable bytes past the last field's first byte.
    @inline(__always)
    private static func unpack(_ bytes: UnsafeMutableRawBufferPointer, width: Int, count: Int,
                               into values: UnsafeMutablePointer<UInt64>) {
        let mask: UInt64 = width == 64 ? ~0 : (1 &<< UInt64(width)) &- 1
        var position = 0
        for j in 0..<count {
            let byte = position &>> 3
            let shift = UInt64(position & 7)
            var v = bytes.loadUnaligned(fromByteOffset: byte, as: UInt64.self).littleEndian &>> shift
            if shift != 0 && Int(shift) + width > 64 {
                v |= UInt64(bytes[byte + 8]) &<< (64 - shift)
            }
            values[j] = v & mask
            position &+= width
        }
    }
}
