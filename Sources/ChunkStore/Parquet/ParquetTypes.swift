/// The enum values of `parquet.thrift` that the writer uses, as written on the wire.
enum ParquetConstants {
    /// "PAR1": the 4-byte magic at the start and end of every file (README, "File Format").
    static let magic: [UInt8] = Array("PAR1".utf8)
}

/// `parquet.thrift` enum `Type`: physical types.
enum ParquetPhysicalType: Int32, Sendable {
    case boolean = 0, int32 = 1, int64 = 2, double = 5, byteArray = 6
}

/// `parquet.thrift` enum `FieldRepetitionType`.
enum ParquetRepetition: Int32, Sendable {
    case required = 0, optional = 1
}

/// `parquet.thrift` enum `Encoding` (see Encodings.md).
enum ParquetEncoding: Int32, Sendable {
    case plain = 0, rle = 3, deltaBinaryPacked = 5, rleDictionary = 8
}

/// `parquet.thrift` enum `CompressionCodec`. LZ4_RAW is the raw LZ4 block format
/// without framing (the older `LZ4 = 5` is deprecated for its ambiguous framing).
enum ParquetCodec: Int32, Sendable {
    case uncompressed = 0, lz4Raw = 7
}

/// `parquet.thrift` enum `PageType`.
enum ParquetPageType: Int32 {
    case dataPage = 0, dictionaryPage = 2
}

/// The logical annotation of a column: written both as a `LogicalType` and as the legacy
/// `ConvertedType` (LogicalTypes.md, "Compatibility").
enum ParquetAnnotation: Sendable, Equatable {
    /// UTF-8 string: LogicalType STRING (id 1), ConvertedType UTF8 (0).
    case string
    /// Microseconds since the epoch, adjusted to UTC: LogicalType TIMESTAMP (id 8) with
    /// unit MICROS, ConvertedType TIMESTAMP_MICROS (10).
    case timestampMicrosUTC
    /// Unsigned 64-bit integer stored as INT64: LogicalType INTEGER (id 10) with bitWidth 64
    /// and isSigned false, ConvertedType UINT_64 (14). Its statistics use unsigned order.
    case uint64
}

/// One leaf column of a flat schema.
struct ParquetColumnSpec: Sendable, Equatable {
    var name: String
    var type: ParquetPhysicalType
    var repetition: ParquetRepetition
    var annotation: ParquetAnnotation?

    init(name: String, type: ParquetPhysicalType, repetition: ParquetRepetition, annotation: ParquetAnnotation? = nil) {
        self.name = name
        self.type = type
        self.repetition = repetition
        self.annotation = annotation
    }
}

/// The values of one column for one row group.
enum ParquetValues: Sendable {
    /// Non-null values, in row order.
    case int64([Int64])
    case double([Double])
    case boolean([Bool])
    /// A string column given as its dictionary and one index per non-null row.
    case dictionaryStrings(dictionary: [[UInt8]], indices: [Int32])

    var count: Int {
        switch self {
        case .int64(let v): v.count
        case .double(let v): v.count
        case .boolean(let v): v.count
        case .dictionaryStrings(_, let indices): indices.count
        }
    }
}

/// One column's data for one row group: the non-null values and, for optional columns,
/// one presence flag per row.
struct ParquetColumnData: Sendable {
    var values: ParquetValues
    /// nil for required columns; else one flag per row, as many `true` as values.
    var present: [Bool]?

    init(values: ParquetValues, present: [Bool]? = nil) {
        self.values = values
        self.present = present
    }
}

/// A column chunk that was refused: what and why.
struct ParquetWriterError: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
