// TEMPORARY: minimal stand-ins until the codecs branch lands. Delete on merge.
struct ByteWriter {
    var bytes: [UInt8] = []
    var count: Int { bytes.count }
    mutating func reset() { bytes.removeAll(keepingCapacity: true) }
    mutating func appendU8(_ v: UInt8) { bytes.append(v) }
    mutating func appendU16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func appendU32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func appendU64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func appendI64(_ v: Int64) { appendU64(UInt64(bitPattern: v)) }
    mutating func appendUVarint(_ v: UInt64) { var x = v; while x >= 0x80 { bytes.append(UInt8(x & 0x7F) | 0x80); x >>= 7 }; bytes.append(UInt8(x)) }
    mutating func appendBytes(_ b: [UInt8]) { bytes.append(contentsOf: b) }
    mutating func appendBytes(_ b: UnsafeRawBufferPointer) { bytes.append(contentsOf: b) }
}
struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    var offset = 0
    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }
    var remaining: Int { buffer.count - offset }
    var isAtEnd: Bool { remaining == 0 }
    mutating func need(_ n: Int) throws { if n < 0 || remaining < n { throw FormatError(offset: offset, "truncated: need \(n) bytes, have \(remaining)") } }
    mutating func readU8() throws -> UInt8 { try need(1); defer { offset += 1 }; return buffer[offset] }
    mutating func readU16() throws -> UInt16 { try need(2); defer { offset += 2 }; return buffer.loadUnaligned(fromByteOffset: offset, as: UInt16.self).littleEndian }
    mutating func readU32() throws -> UInt32 { try need(4); defer { offset += 4 }; return buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian }
    mutating func readU64() throws -> UInt64 { try need(8); defer { offset += 8 }; return buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian }
    mutating func readI64() throws -> Int64 { Int64(bitPattern: try readU64()) }
    mutating func readUVarint() throws -> UInt64 { var r: UInt64 = 0; var s: UInt64 = 0; while true { let b = try readU8(); if s > 63 { throw FormatError(offset: offset, "varint") }; r |= UInt64(b & 0x7F) << s; if b < 0x80 { return r }; s += 7 } }
    mutating func readBytes(_ n: Int) throws -> UnsafeRawBufferPointer { try need(n); defer { offset += n }; return UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + n]) }
}
enum CRC32C {
    static let table: [UInt32] = (0..<256).map { i -> UInt32 in var c = UInt32(i); for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F63B78 : c >> 1 }; return c }
    static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 { var c = ~seed; for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }; return ~c }
    static func checksum(_ bytes: [UInt8], seed: UInt32 = 0) -> UInt32 { bytes.withUnsafeBytes { checksum($0, seed: seed) } }
}
enum ColumnBlock {
    static func encodeTimestamps(_ ts: [Int64], into out: inout ByteWriter, scratch: inout ByteWriter) { out.appendUVarint(UInt64(ts.count)); for t in ts { out.appendI64(t) } }
    static func decodeTimestamps(_ reader: inout ByteReader, count: Int) throws -> [Int64] { let n = try reader.readUVarint(); guard n == count else { throw FormatError(offset: reader.offset, "count") }; return try (0..<count).map { _ in try reader.readI64() } }
    static func encodeField(_ c: FieldColumn, into out: inout ByteWriter, scratch: inout ByteWriter) { out.appendUVarint(UInt64(c.bits.count)); for (i, b) in c.bits.enumerated() { out.appendU8(c.present[i] ? 1 : 0); out.appendU64(b) } }
    static func decodeField(_ reader: inout ByteReader, name: String, type: FieldType, count: Int) throws -> FieldColumn {
        let n = try reader.readUVarint(); guard n == count else { throw FormatError(offset: reader.offset, "count") }
        var bits: [UInt64] = []; var p = Bitmap(count: 0, value: false)
        for _ in 0..<count { p.append(try reader.readU8() == 1); bits.append(try reader.readU64()) }
        return FieldColumn(name: name, type: type, bits: bits, present: p)
    }
}
