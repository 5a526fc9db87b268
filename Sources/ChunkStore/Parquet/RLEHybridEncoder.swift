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
    static func encode(count: Int, bitWidth: Int, into out: inout ByteWriter, value: (Int) -> UInt32) {
        var literals: [UInt32] = []
        literals.reserveCapacity(maxLiteralValues)
        var i = 0
        while i < count {
            let v = value(i)
            var run = 1
            while i + run < count && value(i + run) == v { run += 1 }
            if run >= 8 {
                // Top the literals up to a multiple of 8 from this run, then emit the rest as a repeat.
                let pad = (8 - literals.count % 8) % 8
                let taken = min(pad, run)
                for _ in 0..<taken { literals.append(v) }
                i += taken
                run -= taken
                if literals.count % 8 == 0 {
                    flushLiterals(&literals, bitWidth: bitWidth, into: &out)
                    if run > 0 {
                        out.appendUVarint(UInt64(run) << 1)
                        appendValue(v, bitWidth: bitWidth, into: &out)
                        i += run
                    }
                }
                continue
            }
            for _ in 0..<run {
                literals.append(v)
                if literals.count == maxLiteralValues { flushLiterals(&literals, bitWidth: bitWidth, into: &out) }
            }
            i += run
        }
        flushLiterals(&literals, bitWidth: bitWidth, into: &out)
    }

    private static func appendValue(_ v: UInt32, bitWidth: Int, into out: inout ByteWriter) {
        for b in 0..<((bitWidth + 7) / 8) { out.appendU8(UInt8(truncatingIfNeeded: v >> (8 * b))) }
    }

    private static func flushLiterals(_ literals: inout [UInt32], bitWidth: Int, into out: inout ByteWriter) {
        guard !literals.isEmpty else { return }
        let groups = (literals.count + 7) / 8
        out.appendUVarint(UInt64(groups) << 1 | 1)
        var packer = BitPacking.Packer(bitWidth: bitWidth)
        for v in literals { packer.put(UInt64(v), into: &out) }
        for _ in literals.count..<(groups * 8) { packer.put(0, into: &out) }
        packer.flush(into: &out)
        literals.removeAll(keepingCapacity: true)
    }
}

/// Little-endian bit packing, least significant bit first (Encodings.md, the bit-packed
/// runs of RLE and the miniblocks of DELTA_BINARY_PACKED use the same order).
enum BitPacking {
    /// Appends the values, then zero values up to `paddedTo`, each in `bitWidth` bits.
    static func pack<S: Sequence>(_ values: S, paddedTo: Int, bitWidth: Int, into out: inout ByteWriter) where S.Element == UInt64 {
        guard bitWidth > 0 else { return }
        var packer = Packer(bitWidth: bitWidth)
        var written = 0
        for v in values { packer.put(v, into: &out); written += 1 }
        while written < paddedTo { packer.put(0, into: &out); written += 1 }
        packer.flush(into: &out)
    }

    /// Accumulates values into 64-bit words, least significant bit first.
    struct Packer {
        let bitWidth: Int
        private let mask: UInt64
        private var accumulator: UInt64 = 0
        private var bits = 0

        init(bitWidth: Int) {
            self.bitWidth = bitWidth
            mask = bitWidth == 64 ? .max : (1 << UInt64(bitWidth)) - 1
        }

        @inline(__always)
        mutating func put(_ v: UInt64, into out: inout ByteWriter) {
            let value = v & mask
            accumulator |= value << UInt64(bits)  // bits < 64: the shift is defined
            bits += bitWidth
            if bits >= 64 {
                out.appendU64(accumulator)
                bits -= 64
                // The bits of `value` that did not fit start the next word.
                accumulator = bits == 0 ? 0 : value >> UInt64(bitWidth - bits)
            }
        }

        /// Writes the partial last word's used bytes.
        mutating func flush(into out: inout ByteWriter) {
            var b = 0
            while b < bits {
                out.appendU8(UInt8(truncatingIfNeeded: accumulator >> UInt64(b)))
                b += 8
            }
            accumulator = 0
            bits = 0
        }
    }

    /// Bits needed for `value` (0 for 0).
    static func width(_ value: UInt64) -> Int { 64 - value.leadingZeroBitCount }
}
