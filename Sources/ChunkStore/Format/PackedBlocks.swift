/// Bit-packing of unsigned values in blocks of 128, the back end of the integer,
/// decimal-float and timestamp codecs.
///
/// Each block is one width byte `w` (0...64, the bit length of the block's largest
/// value) followed by the block's values packed at `w` bits each by ``BitWriter``
/// (least significant bit first), padded to a byte boundary: `ceil(k * w / 8)`
/// bytes for `k` values (`16 * w` for a full block); padding bits must be zero. A block whose values are all
/// zero is just the byte 0, which is how regular series cost almost nothing.
/// Per-block widths keep one outlier from widening the whole column.
enum PackedBlocks {
    static let blockSize = 128

    static func encode(_ values: UnsafeBufferPointer<UInt64>, into out: inout ByteWriter) {
        var bits = BitWriter()
        var start = 0
        while start < values.count {
            let end = min(start + blockSize, values.count)
            var union: UInt64 = 0
            for i in start..<end { union |= values[i] }
            let width = 64 - union.leadingZeroBitCount
            out.appendU8(UInt8(width))
            if width > 0 {
                for i in start..<end { bits.write(values[i], width: width, to: &out) }
                bits.finish(to: &out)
            }
            start = end
        }
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
                var bits = BitReader(try reader.readBytes(byteCount), baseOffset: dataOffset)
                for _ in 0..<k { out.append(try bits.read(width)) }
                try bits.checkZeroPadding()
            }
            left -= k
        }
    }
}
