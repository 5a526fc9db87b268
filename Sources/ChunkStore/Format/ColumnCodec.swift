/// Which codec produced a column block's payload. Stored as the block's first byte.
enum ColumnCodecID: UInt8, Sendable {
    case timestampDeltaOfDelta = 1
    case integerDelta = 2
    case floatDecimal = 3
    case floatXOR = 4
    case boolBitmap = 5
}

/// How a column block's payload is stored. Stored as the block's second byte.
enum ColumnCompression: UInt8, Sendable {
    case none = 0
    case lz4 = 1
}

/// One column of a chunk as a self-describing block, the unit the chunk writer
/// lays out and the reader decodes.
///
/// Layout:
/// ```
/// codec          <u8>       ColumnCodecID
/// compression    <u8>       ColumnCompression
/// encodedLength  <uvarint>  payload length before compression
/// storedLength   <uvarint>  bytes that follow (== encodedLength when uncompressed)
/// stored         <storedLength bytes>  payload, raw or as one raw LZ4 block
/// ```
/// Timestamp payload: ``TimestampCodec``. Field payload: `presence <u8>` (0: every
/// row has a value; 1: a ``BoolCodec`` bitmap of `count` bits follows, set = present),
/// then the present values only, in row order, with the codec named by `codec`.
///
/// The row count is not stored: the chunk header carries it. The payload is LZ4
/// compressed only when that makes it smaller. Decoding checks everything and
/// throws ``FormatError`` (offsets relative to the reader's buffer) on any
/// inconsistency; it allocates at most in proportion to `count`.
enum ColumnBlock {
    /// The largest payload any codec produces for `count` rows (about 10 bytes per
    /// value at worst, for XOR floats), so a corrupt length cannot force a large
    /// allocation. nil if `count` is absurd.
    static func maxEncodedLength(count: Int) -> Int? {
        guard count >= 0, count <= (Int.max - 64) / 11 else { return nil }
        return 64 + count * 11
    }

    /// With `increasing`, timestamps that do not strictly increase are an error (chunks
    /// hold sorted, unique timestamps, and queries rely on it).
    static func decodeTimestamps(_ reader: inout ByteReader, count: Int, increasing: Bool = false) throws -> [Int64] {
        var result: [Int64] = []
        try decodeBlock(&reader, count: count, what: "timestamp", accepts: { $0 == .timestampDeltaOfDelta }) { _, payload in
            let start = payload.offset
            if try !TimestampCodec.decode(&payload, count: count, into: &result), increasing {
                throw FormatError(offset: start, "timestamps are not strictly increasing")
            }
        }
        return result
    }

    static func decodeField(_ reader: inout ByteReader, name: String, type: FieldType, count: Int) throws -> FieldColumn {
        var bits: [UInt64] = []
        var present = Bitmap(count: 0, value: false)
        try decodeBlock(&reader, count: count, what: "\(type) field \"\(name)\"", accepts: { type.accepts($0) }) { codec, payload in
            let flagOffset = payload.offset
            let allPresent: Bool
            switch try payload.readU8() {
            case 0: allPresent = true
            case 1: allPresent = false
            case let flag: throw FormatError(offset: flagOffset, "unknown presence flag \(flag)")
            }
            // The all-present map is built only after the values decoded, so that a
            // corrupt huge `count` fails on the (too short) payload before any allocation.
            if !allPresent { present = try BoolCodec.decodeBitmap(&payload, count: count) }
            let presentCount = allPresent ? count : present.popCount
            var values: [UInt64] = []
            switch codec {
            case .floatDecimal, .floatXOR: try FloatCodec.decode(&payload, codec: codec, count: presentCount, into: &values)
            case .integerDelta: try IntegerCodec.decode(&payload, count: presentCount, into: &values)
            case .boolBitmap: try BoolCodec.decode(&payload, count: presentCount, into: &values)
            case .timestampDeltaOfDelta: throw FormatError(offset: payload.offset, "timestamp codec in a field column")
            }
            if allPresent {
                present = Bitmap(count: count, value: true)
                bits = values
            } else if presentCount == count {
                bits = values
            } else {
                bits = [UInt64](repeating: 0, count: count)
                var next = 0
                for i in 0..<count where present[i] {
                    bits[i] = values[next]
                    next += 1
                }
            }
        }
        return FieldColumn(name: name, type: type, bits: bits, present: present)
    }

    /// Reads and checks a block header, then runs `body` on a reader over exactly
    /// the (decompressed) payload, which `body` must consume completely. Every field and
    /// timestamp block is read through this, into arrays or into slots
    /// (ColumnBlock+Slots.swift).
    static func decodeBlock(
        _ reader: inout ByteReader, count: Int, what: @autoclosure () -> String,
        accepts: (ColumnCodecID) -> Bool,
        body: (ColumnCodecID, inout ByteReader) throws -> Void
    ) throws {
        let blockStart = reader.offset
        guard let limit = maxEncodedLength(count: count) else {
            throw FormatError(offset: blockStart, "invalid row count \(count) for a \(what()) column")
        }
        let codecByte = try reader.readU8()
        guard let codec = ColumnCodecID(rawValue: codecByte) else {
            throw FormatError(offset: blockStart, "unknown column codec id \(codecByte)")
        }
        guard accepts(codec) else {
            throw FormatError(offset: blockStart, "codec \(codec) cannot encode a \(what()) column")
        }
        let compressionByte = try reader.readU8()
        guard let compression = ColumnCompression(rawValue: compressionByte) else {
            throw FormatError(offset: blockStart + 1, "unknown column compression id \(compressionByte)")
        }
        let encodedLength = try reader.readLength(limit: limit, what: "encoded length of \(count)-row \(what()) column")
        let storedLength = try reader.readLength(limit: limit, what: "stored length of \(count)-row \(what()) column")
        let payloadOffset = reader.offset
        let stored = try reader.readBytes(storedLength)

        func run(_ payload: UnsafeRawBufferPointer) throws {
            var inner = ByteReader(payload)
            try body(codec, &inner)
            guard inner.isAtEnd else {
                throw FormatError(offset: inner.offset, "\(inner.remaining) unused bytes after the \(what()) column's values")
            }
        }

        switch compression {
        case .none:
            guard storedLength == encodedLength else {
                throw FormatError(offset: payloadOffset,
                                  "uncompressed column stores \(storedLength) bytes but declares \(encodedLength)")
            }
            do {
                try run(stored)
            } catch let error as FormatError {
                throw FormatError(offset: payloadOffset + error.offset, error.reason)
            }
        case .lz4:
            var decompressed: [UInt8] = []
            do {
                try LZ4Block.decompress(stored, decodedLength: encodedLength, into: &decompressed)
            } catch let error as FormatError {
                throw FormatError(offset: payloadOffset + error.offset, "\(what()) column: \(error.reason)")
            }
            do {
                try decompressed.withUnsafeBytes { try run($0) }
            } catch let error as FormatError {
                throw FormatError(offset: payloadOffset,
                                  "\(error.reason) (at offset \(error.offset) of the decompressed \(what()) column)")
            }
        }
    }
}
