/// Rows of one device held column by column in memory: the shape shared by the
/// head, decoded chunks and query results.
///
/// Invariant: every column has `timestamps.count` slots.
struct ColumnarRows: Sendable, Equatable {
    var timestamps: [Int64] = []
    var columns: [FieldColumn] = []

    var rowCount: Int { timestamps.count }

    func columnIndex(named name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }

    /// Rows `range` as rows of their own.
    func slice(_ range: Range<Int>) -> ColumnarRows {
        ColumnarRows(timestamps: Array(timestamps[range]), columns: columns.map { column in
            FieldColumn(name: column.name, type: column.type, bits: Array(column.bits[range]),
                        present: Bitmap(column.present, range: range))
        })
    }

    /// The rows cut into consecutive pieces of nearly equal size, none above `maxRows`.
    func split(maxRows: Int) -> [ColumnarRows] {
        guard rowCount > maxRows, maxRows > 0 else { return [self] }
        let pieces = (rowCount + maxRows - 1) / maxRows
        return (0..<pieces).map { p in slice((rowCount * p / pieces)..<(rowCount * (p + 1) / pieces)) }
    }
}

/// One field's slots: 64-bit payloads (see ``FieldValue/storageBits``) plus presence.
struct FieldColumn: Sendable, Equatable {
    var name: String
    var type: FieldType
    /// One payload per row; the payload of a missing slot is 0 and meaningless.
    var bits: [UInt64]
    /// Which slots hold a value.
    var present: Bitmap

    init(name: String, type: FieldType, bits: [UInt64], present: Bitmap) {
        self.name = name
        self.type = type
        self.bits = bits
        self.present = present
    }

    /// An empty column.
    init(name: String, type: FieldType) {
        self.init(name: name, type: type, bits: [], present: Bitmap(count: 0, value: false))
    }

    func value(at row: Int) -> FieldValue? {
        present[row] ? FieldValue(type: type, bits: bits[row]) : nil
    }
}
