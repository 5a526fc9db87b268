/// Boolean columns, and presence maps: a plain bitmap.
///
/// Layout for `n` bits: `ceil(n / 8)` bytes; bit `i` is bit `i % 8` (least
/// significant first) of byte `i / 8`, which is ``Bitmap``'s little-endian word
/// layout truncated to whole bytes. Padding bits in the last byte must be zero
/// (the decoder rejects anything else, to catch corruption early).
///
/// LZ4 in the column block takes care of long runs, so no run-length layer here.
enum BoolCodec {
    static func encode(_ bitmap: Bitmap, into out: inout ByteWriter) {
        let byteCount = (bitmap.count + 7) / 8
        guard byteCount > 0 else { return }
        #if _endian(little)
        // The words' memory is the byte layout: copy it whole.
        bitmap.words.withUnsafeBytes { out.append(UnsafeRawBufferPointer(rebasing: $0[0..<byteCount])) }
        #else
        var left = byteCount
        for word in bitmap.words where left > 0 {
            var w = word
            for _ in 0..<min(8, left) {
                out.appendU8(UInt8(truncatingIfNeeded: w))
                w >>= 8
            }
            left -= min(8, left)
        }
        #endif
        // Padding must be zero whatever the words hold past `count`.
        if bitmap.count % 8 != 0 {
            out.bytes[out.count - 1] &= UInt8(truncatingIfNeeded: (1 << (bitmap.count % 8)) - 1)
        }
    }

    /// Booleans given as payloads (non-zero is true).
    static func encode(bits values: UnsafeBufferPointer<UInt64>, into out: inout ByteWriter) {
        var bitmap = Bitmap(count: values.count, value: false)
        for (i, v) in values.enumerated() where v != 0 { bitmap[i] = true }
        encode(bitmap, into: &out)
    }

    static func decodeBitmap(_ reader: inout ByteReader, count: Int) throws -> Bitmap {
        guard count >= 0 else { throw FormatError(offset: reader.offset, "negative bit count \(count)") }
        let byteCount = count / 8 + (count % 8 == 0 ? 0 : 1)
        let start = reader.offset
        let raw = try reader.readBytes(byteCount)
        var words = [UInt64](repeating: 0, count: (count + 63) / 64)
        for i in 0..<byteCount {
            words[i >> 3] |= UInt64(raw[i]) << UInt64((i & 7) * 8)
        }
        if count % 8 != 0, raw[byteCount - 1] >> UInt8(count % 8) != 0 {
            throw FormatError(offset: start + byteCount - 1, "bitmap padding bits are not zero")
        }
        return Bitmap(words: words, count: count)
    }

    /// Writes a bitmap of `count` bits into `words` (`(count + 63) / 64` of them, bits past
    /// `count` cleared); the same checks, in the same order, as ``decodeBitmap(_:count:)``.
    static func decodeBitmap(_ reader: inout ByteReader, count: Int, into words: UnsafeMutablePointer<UInt64>) throws {
        guard count >= 0 else { throw FormatError(offset: reader.offset, "negative bit count \(count)") }
        let byteCount = count / 8 + (count % 8 == 0 ? 0 : 1)
        let start = reader.offset
        let raw = try reader.readBytes(byteCount)
        words.initialize(repeating: 0, count: (count + 63) / 64)
        for i in 0..<byteCount {
            words[i >> 3] |= UInt64(raw[i]) << UInt64((i & 7) * 8)
        }
        if count % 8 != 0, raw[byteCount - 1] >> UInt8(count % 8) != 0 {
            throw FormatError(offset: start + byteCount - 1, "bitmap padding bits are not zero")
        }
    }

    /// Writes `count` payloads (0 or 1) to `out`, which has room for them.
    static func decode(_ reader: inout ByteReader, count: Int, into out: UnsafeMutablePointer<UInt64>) throws {
        guard count >= 0 else { throw FormatError(offset: reader.offset, "negative bit count \(count)") }
        let byteCount = count / 8 + (count % 8 == 0 ? 0 : 1)
        let start = reader.offset
        let raw = try reader.readBytes(byteCount)
        if count % 8 != 0, raw[byteCount - 1] >> UInt8(count % 8) != 0 {
            throw FormatError(offset: start + byteCount - 1, "bitmap padding bits are not zero")
        }
        for i in 0..<count { out[i] = UInt64((raw[i >> 3] >> UInt8(i & 7)) & 1) }
    }

    /// Appends `count` payloads (0 or 1) to `out`.
    static func decode(_ reader: inout ByteReader, count: Int, into out: inout [UInt64]) throws {
        let bitmap = try decodeBitmap(&reader, count: count)
        out.reserveCapacity(out.count + count)
        for i in 0..<count { out.append(bitmap[i] ? 1 : 0) }
    }
}
