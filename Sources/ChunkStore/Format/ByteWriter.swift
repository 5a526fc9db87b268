/// A growable little-endian byte buffer that encoders append to.
///
/// It is meant to be kept and reused across chunks: ``reset()`` empties it but keeps
/// its capacity, so steady-state encoding does not allocate.
struct ByteWriter {
    var bytes: [UInt8]

    init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Number of bytes written so far.
    var count: Int { bytes.count }

    /// Forgets the contents, keeping the allocation for the next use.
    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func appendU8(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func appendU16(_ value: UInt16) {
        appendLittleEndian(UInt64(value), byteCount: 2)
    }

    mutating func appendU32(_ value: UInt32) {
        appendLittleEndian(UInt64(value), byteCount: 4)
    }

    mutating func appendU64(_ value: UInt64) {
        appendLittleEndian(value, byteCount: 8)
    }

    /// Two's complement, little-endian.
    mutating func appendI64(_ value: Int64) {
        appendLittleEndian(UInt64(bitPattern: value), byteCount: 8)
    }

    /// Unsigned LEB128: seven bits per byte, least significant group first, high bit
    /// set on every byte but the last. At most 10 bytes for a 64-bit value.
    mutating func appendUVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    /// A signed value as the uvarint of its zigzag mapping (see ``ZigZag``), so that
    /// small negative numbers stay short.
    mutating func appendZigZagVarint(_ value: Int64) {
        appendUVarint(ZigZag.encode(value))
    }

    mutating func append(_ raw: [UInt8]) {
        bytes.append(contentsOf: raw)
    }

    mutating func append(_ raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
    }

    private mutating func appendLittleEndian(_ value: UInt64, byteCount: Int) {
        var v = value
        for _ in 0..<byteCount {
            bytes.append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
    }
}

/// The zigzag mapping of signed to unsigned integers: 0, -1, 1, -2, 2, ... become
/// 0, 1, 2, 3, 4, ..., so values near zero of either sign have few significant bits.
/// `encode(n) = (n << 1) ^ (n >> 63)` with an arithmetic right shift.
enum ZigZag {
    @inline(__always)
    static func encode(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value &<< 1) ^ (value &>> 63))
    }

    @inline(__always)
    static func decode(_ value: UInt64) -> Int64 {
        Int64(bitPattern: (value &>> 1) ^ (0 &- (value & 1)))
    }
}
