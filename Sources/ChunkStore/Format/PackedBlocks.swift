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
        try checkCount(count, reader)
        try out.appendUninitialized(count: count) { try decode(&reader, count: count, into: $0) }
    }

    /// Writes `count` values to `out`, which has room for them.
    static func decode(_ reader: inout ByteReader, count: Int, into out: UnsafeMutablePointer<UInt64>) throws {
        try checkCount(count, reader)
        // The last block is copied into a zero-padded scratch buffer (on the stack: small
        // blocks, the rollups' dozen values, are often all there is) so that every field
        // can be read with one unaligned 8-byte load and no bounds checks per value;
        // blocks followed by at least 16 bytes of the buffer are read in place.
        var written = 0
        while written < count {
            let k = min(blockSize, count - written)
            let widthOffset = reader.offset
            let width = Int(try reader.readU8())
            guard width <= 64 else {
                throw FormatError(offset: widthOffset, "packed block width \(width) exceeds 64")
            }
            if width == 0 {
                (out + written).initialize(repeating: 0, count: k)
            } else {
                let byteCount = (k * width + 7) / 8
                let dataOffset = reader.offset
                let block = try reader.readBytes(byteCount)
                let usedBits = k * width
                if usedBits & 7 != 0, block[byteCount - 1] >> UInt8(usedBits & 7) != 0 {
                    throw FormatError(offset: dataOffset + byteCount - 1, "non-zero padding bits after a packed block")
                }
                if reader.remaining >= 16, let base = block.baseAddress {
                    unpack(base, width: width, count: k, into: out + written)
                } else {
                    withUnsafeTemporaryAllocation(byteCount: byteCount + 16, alignment: 8) { padded in
                        let base = padded.baseAddress!
                        base.copyMemory(from: block.baseAddress!, byteCount: byteCount)
                        (base + byteCount).initializeMemory(as: UInt8.self, repeating: 0, count: 16)
                        unpack(UnsafeRawPointer(base), width: width, count: k, into: out + written)
                    }
                }
            }
            written += k
        }
    }

    /// Every block costs at least its width byte: refuse counts the bytes cannot hold
    /// before reserving memory for them. Codecs built on packed blocks call this before
    /// allocating their output, so a corrupt count fails instead of allocating.
    static func checkCount(_ count: Int, _ reader: ByteReader) throws {
        guard count >= 0 else { throw FormatError(offset: reader.offset, "negative value count \(count)") }
        let blocks = (count + blockSize - 1) / blockSize
        guard blocks <= reader.remaining else {
            throw FormatError(offset: reader.offset,
                              "\(count) packed values need at least \(blocks) bytes, only \(reader.remaining) remain")
        }
    }

    /// Unpacks `count` fields of `width` bits from `bytes`, which must have at least 16
    /// readable bytes past the last field's first byte. Common widths get a copy of the
    /// loop with the width a constant, so shifts and masks fold into immediates.
    private static func unpack(_ bytes: UnsafeRawPointer, width: Int, count: Int,
                               into values: UnsafeMutablePointer<UInt64>) {
        switch width {
        case 1: unpack(bytes, constantWidth: 1, count: count, into: values)
        case 2: unpack(bytes, constantWidth: 2, count: count, into: values)
        case 3: unpack(bytes, constantWidth: 3, count: count, into: values)
        case 4: unpack(bytes, constantWidth: 4, count: count, into: values)
        case 5: unpack(bytes, constantWidth: 5, count: count, into: values)
        case 6: unpack(bytes, constantWidth: 6, count: count, into: values)
        case 7: unpack(bytes, constantWidth: 7, count: count, into: values)
        case 8: unpack(bytes, constantWidth: 8, count: count, into: values)
        case 9: unpack(bytes, constantWidth: 9, count: count, into: values)
        case 10: unpack(bytes, constantWidth: 10, count: count, into: values)
        case 11: unpack(bytes, constantWidth: 11, count: count, into: values)
        case 12: unpack(bytes, constantWidth: 12, count: count, into: values)
        case 13: unpack(bytes, constantWidth: 13, count: count, into: values)
        case 14: unpack(bytes, constantWidth: 14, count: count, into: values)
        case 15: unpack(bytes, constantWidth: 15, count: count, into: values)
        case 16: unpack(bytes, constantWidth: 16, count: count, into: values)
        case 17: unpack(bytes, constantWidth: 17, count: count, into: values)
        case 18: unpack(bytes, constantWidth: 18, count: count, into: values)
        case 19: unpack(bytes, constantWidth: 19, count: count, into: values)
        case 20: unpack(bytes, constantWidth: 20, count: count, into: values)
        case 21...56: unpack(bytes, constantWidth: width, count: count, into: values)
        default: unpackWide(bytes, width: width, count: count, into: values)
        }
    }

    /// Widths up to 56: a field starting at any bit of a byte fits in one 8-byte load.
    @inline(__always)
    private static func unpack(_ bytes: UnsafeRawPointer, constantWidth width: Int, count: Int,
                               into values: UnsafeMutablePointer<UInt64>) {
        let mask: UInt64 = (1 &<< UInt64(width)) &- 1
        var position = 0
        for j in 0..<count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position &>> 3, as: UInt64.self))
            values[j] = (word &>> UInt64(position & 7)) & mask
            position &+= width
        }
    }

    /// Widths above 56: a field may spill into a ninth byte.
    private static func unpackWide(_ bytes: UnsafeRawPointer, width: Int, count: Int,
                                   into values: UnsafeMutablePointer<UInt64>) {
        let mask: UInt64 = width == 64 ? ~0 : (1 &<< UInt64(width)) &- 1
        var position = 0
        for j in 0..<count {
            let byte = position &>> 3
            let shift = UInt64(position & 7)
            var v = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: byte, as: UInt64.self)) &>> shift
            if shift != 0 && Int(shift) + width > 64 {
                v |= UInt64(bytes.load(fromByteOffset: byte + 8, as: UInt8.self)) &<< (64 - shift)
            }
            values[j] = v & mask
            position &+= width
        }
    }
}
