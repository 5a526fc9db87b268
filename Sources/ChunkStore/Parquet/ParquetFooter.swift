/// The Thrift `FileMetaData` of a file with a flat schema (parquet.thrift field ids in comments).
enum ParquetFooter {
    /// A column chunk with its absolute position in the file.
    struct Chunk {
        var chunk: ParquetColumnChunk
        var offset: Int
    }

    /// A row group's row count, first byte, and chunks.
    struct RowGroup {
        var rows: Int
        var offset: Int
        var chunks: [Chunk]
    }

    /// Encodes `FileMetaData`.
    static func encode(columns: [ParquetColumnSpec], rowGroups: [RowGroup], createdBy: String) -> [UInt8] {
        var w = ThriftCompactWriter()
        w.i32(1, 1)  // version
        // 2 schema: a depth-first list; the root group names how many leaves follow (README, "Metadata").
        w.listHeader(2, elementType: .structure, count: columns.count + 1)
        w.beginElementStruct()
        w.string(4, "schema")
        w.i32(5, Int32(columns.count))  // num_children
        w.endStruct()
        for column in columns { schemaElement(column, into: &w) }
        w.i64(3, Int64(rowGroups.reduce(0) { $0 + $1.rows }))  // num_rows
        w.listHeader(4, elementType: .structure, count: rowGroups.count)  // row_groups
        for (ordinal, group) in rowGroups.enumerated() { rowGroup(group, ordinal: ordinal, into: &w) }
        w.string(6, createdBy)
        // 7 column_orders: TYPE_ORDER (union member 1) for every column, so readers trust min_value/max_value.
        w.listHeader(7, elementType: .structure, count: columns.count)
        for _ in columns {
            w.beginElementStruct()
            w.emptyStruct(1)
            w.endStruct()
        }
        return w.finish()
    }

    /// `SchemaElement`: 1 type, 3 repetition_type, 4 name, 6 converted_type, 10 logicalType.
    private static func schemaElement(_ column: ParquetColumnSpec, into w: inout ThriftCompactWriter) {
        w.beginElementStruct()
        w.i32(1, column.type.rawValue)
        w.i32(3, column.repetition.rawValue)
        w.string(4, column.name)
        switch column.annotation {
        case .string?:
            w.i32(6, 0)  // ConvertedType UTF8
            w.beginStruct(10)
            w.emptyStruct(1)  // LogicalType.STRING
            w.endStruct()
        case .timestampMicrosUTC?:
            w.i32(6, 10)  // ConvertedType TIMESTAMP_MICROS
            w.beginStruct(10)
            w.beginStruct(8)  // LogicalType.TIMESTAMP: TimestampType
            w.bool(1, true)  // isAdjustedToUTC
            w.beginStruct(2)  // unit: TimeUnit union
            w.emptyStruct(2)  // MICROS
            w.endStruct()
            w.endStruct()
            w.endStruct()
        case .uint64?:
            w.i32(6, 14)  // ConvertedType UINT_64
            w.beginStruct(10)
            w.beginStruct(10)  // LogicalType.INTEGER: IntType
            w.i8(1, 64)  // bitWidth
            w.bool(2, false)  // isSigned
            w.endStruct()
            w.endStruct()
        case nil:
            break
        }
        w.endStruct()
    }

    /// `RowGroup`: 1 columns, 2 total_byte_size, 3 num_rows, 5 file_offset, 6 total_compressed_size, 7 ordinal.
    private static func rowGroup(_ group: RowGroup, ordinal: Int, into w: inout ThriftCompactWriter) {
        w.beginElementStruct()
        w.listHeader(1, elementType: .structure, count: group.chunks.count)
        for chunk in group.chunks { columnChunk(chunk, into: &w) }
        w.i64(2, Int64(group.chunks.reduce(0) { $0 + $1.chunk.uncompressedSize }))
        w.i64(3, Int64(group.rows))
        w.i64(5, Int64(group.offset))
        w.i64(6, Int64(group.chunks.reduce(0) { $0 + $1.chunk.byteCount }))
        w.i16(7, Int16(truncatingIfNeeded: ordinal))
        w.endStruct()
    }

    /// `ColumnChunk`: 2 file_offset, 3 meta_data (`ColumnMetaData`: 1 type, 2 encodings,
    /// 3 path_in_schema, 4 codec, 5 num_values, 6 total_uncompressed_size,
    /// 7 total_compressed_size, 9 data_page_offset, 11 dictionary_page_offset, 12 statistics).
    private static func columnChunk(_ c: Chunk, into w: inout ThriftCompactWriter) {
        let chunk = c.chunk
        w.beginElementStruct()
        w.i64(2, Int64(c.offset))
        w.beginStruct(3)
        w.i32(1, chunk.spec.type.rawValue)
        w.listHeader(2, elementType: .i32, count: chunk.encodings.count)
        for e in chunk.encodings { w.elementI32(e.rawValue) }
        w.listHeader(3, elementType: .binary, count: 1)
        w.elementString(chunk.spec.name)
        w.i32(4, chunk.codec.rawValue)
        w.i64(5, Int64(chunk.valueCount))
        w.i64(6, Int64(chunk.uncompressedSize))
        w.i64(7, Int64(chunk.byteCount))
        w.i64(9, Int64(c.offset + chunk.dataPageOffset))
        if let dictionary = chunk.dictionaryPageOffset { w.i64(11, Int64(c.offset + dictionary)) }
        // `Statistics`: 3 null_count, 5 max_value, 6 min_value.
        w.beginStruct(12)
        w.i64(3, Int64(chunk.statistics.nullCount))
        if let max = chunk.statistics.max { w.binary(5, max) }
        if let min = chunk.statistics.min { w.binary(6, min) }
        w.endStruct()
        w.endStruct()
        w.endStruct()
    }
}
