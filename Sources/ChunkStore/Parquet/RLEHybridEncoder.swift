/// The RLE / bit-packing hybrid of Encodings.md ("Run Length Encoding / Bit-Packing
/// Hybrid (RLE = 3)"), used for definition levels and dictionary indices.
///
/// A run is either a repeated value (`header = count << 1`, then the value in
/// ceil(bitWidth / 8) little-endian bytes) or groups of 8 bit-packed values
/// (`header = groups << 1 | 1`, then the values packed least-significant bit first).
/// Only the last bit-packed run may be padded, so a literal stretch is always cut at a
/// multiple of 8 before a repeated run starts.
enum RLEHybridEncoder {
    /// Largest literal stretch emitted as one bit-packed run (63 groups keep the header one byte).
    private static let maxLiteralValues = 504

    /// Encodes `count` values read through `value(i)`, each below `1 << bitWidth`.
    ///
    /// The pending literal stretch is always the values just before `i`, so it is kept as
    /// a start and a count and packed straight from `value`, never copied.
    @inline(__always)
    static func encode(count: Int, bitWidth: Int, into out: inout ByteWriter, value: (Int) -> UInt32) {
        var literalStart = 0, literalCount = 0
        var i = 0
        while i < count {
            let v = value(i)
            var run = 1
            while i + run < count && value(i + run) == v { run += 1 }
            if run >= 8 {
                // Top the literals up to a multiple of 8 from this run, then emit the rest as a repeat.
                let taken = (8 - literalCount % 8) % 8
                literalCount += taken
                i += taken
                run -= taken
                flushLiterals(from: literalStart, count: literalCount, bitWidth: bitWidth, into: &out, value: value)
                if run > 0 {
                    out.appendUVarint(UInt64(run) << 1)
                    appendValue(v, bitWidth: bitWidth, into: &out)
                    i += run
                }
                literalStart = i
                literalCount = 0
                continue
            }
            literalCount += run
            i += run
            while literalCount >= maxLiteralValues {
                flushLiterals(from: literalStart, count: maxLiteralValues, bitWidth: bitWidth, into: &out, value: value)
                literalStart += maxLiteralValues
                literalCount -= maxLiteralValues
            }
        }
        flushLiterals(from: literalStart, count: literalCount, bitWidth: bitWidth, into: &out, value: value)
    }

    private static func appendValue(_ v: UInt32, bitWidth: Int, into out: inout ByteWriter) {
        for b in 0..<((bitWidth + 7) / 8) { out.appendU8(UInt8(truncatingIfNeeded: v >> (8 * b))) }
    }

    /// One bit-packed run of values `start..<start + count`, padded with zeros to groups of 8.
    @inline(__always)
    private static func flushLiterals(from start: Int, count: Int, bitWidth: Int, into out: inout ByteWriter,
                                      value: (Int) -> UInt32) {
        guard count > 0 else { return }
        let groups = (count + 7) / 8
        out.appendUVarint(UInt64(groups) << 1 | 1)
        BitPacking.pack(count: count, paddedTo: groups * 8, bitWidth: bitWidth, into: &out) { UInt64(value(start + $0)) }
    }
}

/// Little-endian bit packing, least significant bit first (Encodings.md, the bit-packed
/// runs of RLE and the miniblocks of DELTA_BINARY_PACKED use the same order).
enum BitPacking {
    /// Appends the values, then zero values up to `paddedTo`, each in `bitWidth` bits.
    static func pack<S: Sequence>(_ values: S, paddedTo: Int, bitWidth: Int, into out: inout ByteWriter) where S.Element == UInt64 {
        let array = Array(values)
        pack(count: array.count, paddedTo: max(paddedTo, array.count), bitWidth: bitWidth, into: &out) { array[$0] }
    }

    /// Appends `value(0..<count)`, then zeros up to `paddedTo` values, each in `bitWidth`
    /// bits: the output grows once by its exact size and is filled a 64-bit word at a time.
    @inline(__always)
    static func pack(count: Int, paddedTo: Int, bitWidth: Int, into out: inout ByteWriter, value: (Int) -> UInt64) {
        guard bitWidth > 0 else { return }
        let byteCount = (paddedTo * bitWidth + 7) / 8
        let start = out.bytes.count
        // 8 bytes of slack let the last partial word be stored whole; they are cut after.
        out.bytes.append(contentsOf: repeatElement(0, count: byteCount + 8))
        let mask: UInt64 = bitWidth == 64 ? .max : (1 << UInt64(bitWidth)) - 1
        out.bytes.withUnsafeMutableBytes { raw in
            var accumulator: UInt64 = 0, bits = 0, position = start
            for i in 0..<count {
                let v = value(i) & mask
                accumulator |= v << UInt64(bits)  // bits < 64: the shift is defined
                bits += bitWidth
                if bits >= 64 {
                    raw.storeBytes(of: accumulator.littleEndian, toByteOffset: position, as: UInt64.self)
                    position += 8
                    bits -= 64
                    // The bits of `v` that did not fit start the next word.
                    accumulator = bits == 0 ? 0 : v >> UInt64(bitWidth - bits)
                }
            }
            // Padding values are zeros: the slack is already zero-filled.
            if bits > 0 { raw.storeBytes(of: accumulator.littleEndian, toByteOffset: position, as: UInt64.self) }
        }
        out.bytes.removeLast(8)
    }

    /// Bits needed for `value` (0 for 0).
    static func width(_ value: UInt64) -> Int { 64 - value.leadingZeroBitCount }
}
