/// Reads fields packed by ``BitWriter`` (least significant bit first) from a
/// borrowed byte buffer, checking every read against the bits available.
struct BitReader {
    let bytes: UnsafeRawBufferPointer
    /// Offset of `bytes` within the buffer being decoded, for error offsets.
    let baseOffset: Int
    /// Next bit to read.
    private(set) var position: Int = 0

    init(_ bytes: UnsafeRawBufferPointer, baseOffset: Int) {
        self.bytes = bytes
        self.baseOffset = baseOffset
    }

    var bitsRemaining: Int { bytes.count * 8 - position }

    /// Whole bytes touched so far (the padding of a partial last byte included).
    var bytesConsumed: Int { (position + 7) / 8 }

    /// Reads a field of `width` (0...64) bits.
    @inline(__always)
    mutating func read(_ width: Int) throws -> UInt64 {
        guard width > 0 else { return 0 }
        guard width <= 64, width <= bitsRemaining else {
            throw FormatError(offset: baseOffset + position / 8,
                              "bit field of \(width) bits runs past the end (\(bitsRemaining) bits left)")
        }
        let byte = position >> 3
        let shift = position & 7
        var word: UInt64
        if byte + 8 <= bytes.count {
            word = bytes.loadUnaligned(fromByteOffset: byte, as: UInt64.self).littleEndian
        } else {
            word = 0
            for i in 0..<(bytes.count - byte) {
                word |= UInt64(bytes[byte + i]) << UInt64(8 * i)
            }
        }
        var v = word &>> UInt64(shift)
        if shift + width > 64 {
            // A field straddling nine bytes; the ninth exists because the bits do.
            v |= UInt64(bytes[byte + 8]) &<< UInt64(64 - shift)
        }
        if width < 64 { v &= (1 &<< UInt64(width)) &- 1 }
        position += width
        return v
    }

    @inline(__always)
    mutating func readBit() throws -> Bool {
        try read(1) != 0
    }

    /// Throws unless the unread bits of the current byte are zero, as writers leave
    /// them: a cheap check that catches many corruptions and miscounted streams.
    func checkZeroPadding() throws {
        let used = position & 7
        guard used != 0 else { return }
        let byte = position >> 3
        guard bytes[byte] >> UInt8(used) == 0 else {
            throw FormatError(offset: baseOffset + byte, "padding bits after a bit-packed field are not zero")
        }
    }
}
