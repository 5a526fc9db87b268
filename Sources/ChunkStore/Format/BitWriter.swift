/// Packs fields of 0...64 bits into bytes, least significant bit first: bit `j` of
/// a field written at stream bit position `p` lands in byte `(p + j) / 8` at bit
/// `(p + j) % 8`. This is the order in which a little-endian machine would see the
/// bits of consecutive little-endian words, so a block of 128 fields of width `w`
/// is exactly `16 * w` bytes.
///
/// Bits accumulate in one 64-bit register and go to the ``ByteWriter`` eight bytes
/// at a time; ``finish(to:)`` pads the last byte with zero bits.
struct BitWriter {
    private var accumulator: UInt64 = 0
    /// Bits of `accumulator` in use (0..<64).
    private var filled: Int = 0

    /// Writes the low `width` bits of `value` (higher bits are ignored).
    @inline(__always)
    mutating func write(_ value: UInt64, width: Int, to out: inout ByteWriter) {
        guard width > 0 else { return }
        let v = width >= 64 ? value : value & ((1 &<< UInt64(width)) &- 1)
        accumulator |= v &<< UInt64(filled)
        let total = filled + width
        if total >= 64 {
            out.appendU64(accumulator)
            // The bits of `v` that did not fit; none when `filled` was 0.
            accumulator = filled == 0 ? 0 : v &>> UInt64(64 - filled)
            filled = total - 64
        } else {
            filled = total
        }
    }

    @inline(__always)
    mutating func writeBit(_ bit: Bool, to out: inout ByteWriter) {
        write(bit ? 1 : 0, width: 1, to: &out)
    }

    /// Flushes the partial byte(s), padding with zero bits to a byte boundary,
    /// and readies the writer for a fresh, byte-aligned stream.
    mutating func finish(to out: inout ByteWriter) {
        var v = accumulator
        var bits = filled
        while bits > 0 {
            out.appendU8(UInt8(truncatingIfNeeded: v))
            v >>= 8
            bits -= 8
        }
        accumulator = 0
        filled = 0
    }
}
