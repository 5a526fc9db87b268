/// Field column blocks decoded into memory the caller provides: what the rollup reader
/// uses for its many small blocks, where an array per block (values, presence, the
/// column) cost more than decoding the values.
extension ColumnBlock {
    /// Decodes a field column block of `count` slots into `values` (`count` slots; absent
    /// ones hold 0) and `present` (`(count + 63) / 64` words, bits past `count` clear), and
    /// returns how many slots are present. Accepts and rejects exactly what
    /// ``decodeField(_:name:type:count:)`` does, with the same errors (for a field named
    /// `name`); allocates only to decompress an LZ4 payload.
    static func decodeField(_ reader: inout ByteReader, name: String, type: FieldType, count: Int,
                            values: UnsafeMutablePointer<UInt64>, present: UnsafeMutablePointer<UInt64>) throws -> Int {
        var presentCount = 0
        try decodeBlock(&reader, count: count, what: describe(type, name), accepts: type.accepts) { codec, payload in
            presentCount = try decodePayload(&payload, codec: codec, count: count, values: values, present: present)
        }
        return presentCount
    }

    /// The column's description in errors, as ``decodeField(_:name:type:count:)`` gives it.
    private static func describe(_ type: FieldType, _ name: String) -> String {
        "\(type) field \"\(name)\""
    }

    /// Decodes a field payload (presence flag, map, values); ``decodeBlock`` checks that
    /// it was consumed exactly.
    private static func decodePayload(_ reader: inout ByteReader, codec: ColumnCodecID,
                                      count: Int, values: UnsafeMutablePointer<UInt64>,
                                      present: UnsafeMutablePointer<UInt64>) throws -> Int {
        let flagOffset = reader.offset
        let allPresent: Bool
        switch try reader.readU8() {
        case 0: allPresent = true
        case 1: allPresent = false
        case let flag: throw FormatError(offset: flagOffset, "unknown presence flag \(flag)")
        }
        let words = (count + 63) / 64
        var presentCount = count
        if !allPresent {
            try BoolCodec.decodeBitmap(&reader, count: count, into: present)
            presentCount = 0
            for w in 0..<words { presentCount += present[w].nonzeroBitCount }
        }
        if presentCount > 0 {
            switch codec {
            case .floatDecimal: try FloatDecimalCodec.decode(&reader, count: presentCount, into: values)
            case .floatXOR: try FloatXORCodec.decode(&reader, count: presentCount, into: values)
            case .integerDelta:
                try PackedBlocks.checkCount(presentCount - 1, reader)
                try IntegerCodec.decode(&reader, count: presentCount, into: values)
            case .boolBitmap: try BoolCodec.decode(&reader, count: presentCount, into: values)
            case .timestampDeltaOfDelta: throw FormatError(offset: reader.offset, "timestamp codec in a field column")
            }
        } else {
            switch codec {
            case .floatDecimal: try FloatDecimalCodec.decode(&reader, count: 0, into: values)
            case .timestampDeltaOfDelta: throw FormatError(offset: reader.offset, "timestamp codec in a field column")
            case .floatXOR, .integerDelta, .boolBitmap: break
            }
        }
        if allPresent {
            if words > 0 {
                present.initialize(repeating: ~0, count: words)
                if count & 63 != 0 { present[words - 1] = (1 << UInt64(count & 63)) - 1 }
            }
        } else if presentCount < count {
            // Spread the present values to their slots, from the last down, in place.
            var next = presentCount
            var i = count
            while i > 0 {
                i -= 1
                if (present[i >> 6] >> UInt64(i & 63)) & 1 == 1 {
                    next -= 1
                    values[i] = values[next]
                } else {
                    values[i] = 0
                }
            }
        }
        return presentCount
    }
}
