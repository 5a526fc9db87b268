/// An encoded column chunk: its pages, and what the footer's `ColumnMetaData` says about them.
struct ParquetColumnChunk {
    /// Dictionary page (if any) then data pages, each a Thrift `PageHeader` and its body.
    /// The file writer empties it once written, keeping ``byteCount``.
    var bytes: [UInt8]
    /// Size of ``bytes`` (`ColumnMetaData.total_compressed_size`).
    var byteCount: Int
    var spec: ParquetColumnSpec
    /// Every encoding used, for `ColumnMetaData.encodings`.
    var encodings: [ParquetEncoding]
    var codec: ParquetCodec
    /// Values including nulls (`ColumnMetaData.num_values`).
    var valueCount: Int
    var uncompressedSize: Int
    /// Offsets within ``bytes``; the file writer adds the chunk's position in the file.
    var dataPageOffset: Int
    var dictionaryPageOffset: Int?
    var statistics: ParquetStatistics
}

/// `Statistics` of a column chunk, values PLAIN-encoded (parquet.thrift `Statistics`:
/// `min_value`/`max_value` follow the column's sort order; NaN is never a bound).
struct ParquetStatistics: Equatable {
    var nullCount: Int
    var min: [UInt8]?
    var max: [UInt8]?

    /// Bounds of non-NaN doubles; -0.0 and +0.0 widen to -0.0 / +0.0 as the spec asks
    /// (parquet.thrift, `ColumnOrder`, notes on floating point).
    static func of(_ values: [Double], nullCount: Int) -> ParquetStatistics {
        var low = Double.infinity, high = -Double.infinity, seen = false
        for v in values where !v.isNaN {
            seen = true
            if v < low { low = v }
            if v > high { high = v }
        }
        guard seen else { return ParquetStatistics(nullCount: nullCount) }
        if low == 0 { low = -0.0 }
        if high == 0 { high = 0.0 }
        return ParquetStatistics(nullCount: nullCount, min: le(low.bitPattern), max: le(high.bitPattern))
    }

    static func of(_ values: [Int64], nullCount: Int) -> ParquetStatistics {
        guard let low = values.min(), let high = values.max() else { return ParquetStatistics(nullCount: nullCount) }
        return ParquetStatistics(nullCount: nullCount, min: le(UInt64(bitPattern: low)), max: le(UInt64(bitPattern: high)))
    }

    static func of(unsigned values: [UInt64], nullCount: Int) -> ParquetStatistics {
        guard let low = values.min(), let high = values.max() else { return ParquetStatistics(nullCount: nullCount) }
        return ParquetStatistics(nullCount: nullCount, min: le(low), max: le(high))
    }

    static func of(_ values: [Bool], nullCount: Int) -> ParquetStatistics {
        guard !values.isEmpty else { return ParquetStatistics(nullCount: nullCount) }
        let anyFalse = values.contains(false), anyTrue = values.contains(true)
        return ParquetStatistics(nullCount: nullCount, min: [anyFalse ? 0 : 1], max: [anyTrue ? 1 : 0])
    }

    /// Byte arrays compare as unsigned bytes (LogicalTypes.md, STRING sort order).
    static func of(strings: [[UInt8]], nullCount: Int) -> ParquetStatistics {
        guard var low = strings.first, var high = strings.first else { return ParquetStatistics(nullCount: nullCount) }
        for s in strings {
            if s.lexicographicallyPrecedes(low) { low = s }
            if high.lexicographicallyPrecedes(s) { high = s }
        }
        return ParquetStatistics(nullCount: nullCount, min: low, max: high)
    }

    private static func le(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
}
