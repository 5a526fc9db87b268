/// A bounds-checked little-endian cursor over a borrowed byte buffer.
///
/// Decoders read untrusted bytes (files may be torn or corrupted, and the decoders
/// are fuzzed), so every read checks the remaining length first and reports a
/// ``FormatError`` at the offending offset instead of trapping.
///
/// The buffer is borrowed: the reader must not outlive the `withUnsafeBytes`
/// scope that produced it.
struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    /// Offset of the next byte to read, relative to the start of `buffer`.
    private(set) var offset: Int = 0

    init(_ buffer: UnsafeRawBufferPointer) {
        self.buffer = buffer
    }

    var remaining: Int { buffer.count - offset }
    var isAtEnd: Bool { offset >= buffer.count }

    @inline(__always)
    mutating func readU8() throws -> UInt8 {
        guard offset < buffer.count else { throw truncated("u8", need: 1) }
        let v = buffer[offset]
        offset += 1
        return v
    }

    @inline(__always)
    mutating func readU16() throws -> UInt16 {
        try readLittleEndian(UInt16.self, what: "u16")
    }

    @inline(__always)
    mutating func readU32() throws -> UInt32 {
        try readLittleEndian(UInt32.self, what: "u32")
    }

    @inline(__always)
    mutating func readU64() throws -> UInt64 {
        try readLittleEndian(UInt64.self, what: "u64")
    }

    @inline(__always)
    mutating func readI64() throws -> Int64 {
        try readLittleEndian(Int64.self, what: "i64")
    }

    /// Unsigned LEB128. Rejects encodings longer than 10 bytes and a 10th byte that
    /// would carry bits beyond 64.
    mutating func readUVarint() throws -> UInt64 {
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        for index in 0..<10 {
            guard offset < buffer.count else {
                throw FormatError(offset: start, "uvarint runs past the end of the buffer")
            }
            let byte = buffer[offset]
            offset += 1
            if index == 9 && byte > 1 {
                throw FormatError(offset: start, "uvarint overflows 64 bits")
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        throw FormatError(offset: start, "uvarint longer than 10 bytes")
    }

    mutating func readZigZagVarint() throws -> Int64 {
        ZigZag.decode(try readUVarint())
    }

    /// A uvarint that must fit in a non-negative `Int` no larger than `limit`:
    /// for lengths and counts, so that a corrupt value cannot drive an allocation.
    /// `what` names the length in the error; built only on failure (decoders read several
    /// lengths per column, and describing them eagerly cost more than reading them).
    mutating func readLength(limit: Int, what: @autoclosure () -> String) throws -> Int {
        let start = offset
        let raw = try readUVarint()
        guard raw <= UInt64(max(limit, 0)) else {
            throw FormatError(offset: start, "\(what()) \(raw) exceeds the limit \(limit)")
        }
        return Int(raw)
    }

    /// The next `count` bytes, as a view into the same buffer.
    mutating func readBytes(_ count: Int) throws -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            throw FormatError(offset: offset, "\(count)-byte field needs \(count) bytes but only \(max(remaining, 0)) remain")
        }
        let slice = UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + count)])
        offset += count
        return slice
    }

    /// Moves past `count` bytes already consumed by some other means (a bit reader).
    mutating func skip(_ count: Int) throws {
        _ = try readBytes(count)
    }

    /// One unaligned load: index entries and headers are read field by field on every
    /// query, so this must not loop over bytes.
    @inline(__always)
    private mutating func readLittleEndian<T: FixedWidthInteger>(_: T.Type, what: StaticString) throws -> T {
        let size = MemoryLayout<T>.size
        guard size <= remaining else { throw truncated(what, need: size) }
        let v = T(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return v
    }

    private func truncated(_ what: StaticString, need: Int) -> FormatError {
        FormatError(offset: offset, "\(what) needs \(need) bytes but only \(max(remaining, 0)) remain")
    }
}
