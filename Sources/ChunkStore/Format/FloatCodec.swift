/// Chooses and applies the float codec for a column: decimal scaling when every
/// value is an exact short decimal (see ``FloatDecimalCodec``), else XOR
/// (``FloatXORCodec``), which accepts anything.
enum FloatCodec {
    /// Encodes `values` and returns the codec id used.
    /// `mantissas` is scratch space for the decimal variant, kept to be reused.
    static func encode(bits values: UnsafeBufferPointer<UInt64>, into out: inout ByteWriter,
                       mantissas: inout [Int64]) -> ColumnCodecID {
        if !values.isEmpty, FloatDecimalCodec.encode(bits: values, into: &out, mantissas: &mantissas) {
            return .floatDecimal
        }
        FloatXORCodec.encode(bits: values, into: &out)
        return .floatXOR
    }

    static func encode(bits values: [UInt64], into out: inout ByteWriter) -> ColumnCodecID {
        var mantissas: [Int64] = []
        return values.withUnsafeBufferPointer { encode(bits: $0, into: &out, mantissas: &mantissas) }
    }

    /// Appends `count` payloads decoded with `codec`, which must be a float codec.
    static func decode(_ reader: inout ByteReader, codec: ColumnCodecID, count: Int, into out: inout [UInt64]) throws {
        switch codec {
        case .floatDecimal: try FloatDecimalCodec.decode(&reader, count: count, into: &out)
        case .floatXOR: try FloatXORCodec.decode(&reader, count: count, into: &out)
        default: throw FormatError(offset: reader.offset, "codec \(codec) is not a float codec")
        }
    }
}
