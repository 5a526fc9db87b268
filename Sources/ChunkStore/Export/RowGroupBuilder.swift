/// Collects rows, device by device in time order, into the columns of one Parquet row
/// group; ``take()`` hands them over and starts the next group.
struct RowGroupBuilder {
    private struct FieldColumn {
        var present: [Bool] = []
        var doubles: [Double] = []
        var ints: [Int64] = []
        var bools: [Bool] = []
    }

    let schema: ExportSchema
    private let fieldIndex: [String: Int]
    private var dictionary: [[UInt8]] = []
    private var lastDevice: String?
    private var deviceIndices: [Int32] = []
    private var micros: [Int64] = []
    /// Nanoseconds past `micros` (0...999): the exact time is micros × 1000 + this.
    private var extraNanos: [Int64] = []
    /// Rows where the device changes: pages start there.
    private var deviceStarts: [Int] = []
    private var columns: [FieldColumn]

    /// Rows reserved for up front, so appends do not regrow the arrays.
    private let capacity: Int

    init(schema: ExportSchema, capacity: Int = 0) {
        self.schema = schema
        self.capacity = capacity
        var index: [String: Int] = [:]
        for (i, f) in schema.fields.enumerated() { index[f.name] = i }
        fieldIndex = index
        columns = []
        reserve()
    }

    private mutating func reserve() {
        deviceIndices.reserveCapacity(capacity)
        micros.reserveCapacity(capacity)
        extraNanos.reserveCapacity(capacity)
        columns = schema.fields.map { field in
            var column = FieldColumn()
            column.present.reserveCapacity(capacity)
            switch field.type {
            case .float: column.doubles.reserveCapacity(capacity)
            case .int, .uint: column.ints.reserveCapacity(capacity)
            case .bool: column.bools.reserveCapacity(capacity)
            }
            return column
        }
    }

    /// Rows collected so far.
    var rowCount: Int { micros.count }

    /// Appends rows `range` of `rows`, readings of `device` (which must come at or after
    /// the previous rows' device).
    mutating func append(device: String, _ rows: ColumnarRows, range: Range<Int>) {
        guard !range.isEmpty else { return }
        if lastDevice != device {
            if rowCount > 0 { deviceStarts.append(rowCount) }
            dictionary.append(Array(device.utf8))
            lastDevice = device
        }
        let index = Int32(dictionary.count - 1)
        deviceIndices.append(contentsOf: repeatElement(index, count: range.count))
        for t in rows.timestamps[range] {
            // Floor to microseconds, so times before 1970 round down like the day they fall on.
            let q = t / 1000, r = t % 1000
            micros.append(r < 0 ? q - 1 : q)
            extraNanos.append(r < 0 ? r + 1000 : r)
        }
        var filled = Array(repeating: false, count: columns.count)
        for column in rows.columns {
            guard let c = fieldIndex[column.name] else { continue }
            filled[c] = true
            // Moved out and back so that appends do not go through the array of columns.
            var target = columns[c]
            columns[c] = FieldColumn()
            let bits = column.bits, present = column.present
            for r in range {
                let here = present[r]
                target.present.append(here)
                guard here else { continue }
                switch column.type {
                case .float: target.doubles.append(Double(bitPattern: bits[r]))
                case .int, .uint: target.ints.append(Int64(bitPattern: bits[r]))
                case .bool: target.bools.append(bits[r] != 0)
                }
            }
            columns[c] = target
        }
        for c in columns.indices where !filled[c] {
            columns[c].present.append(contentsOf: repeatElement(false, count: range.count))
        }
    }

    /// The collected columns in schema order, their row count and the rows where the
    /// device changes; the builder is emptied.
    mutating func take() -> (columns: [ParquetColumnData], rows: Int, deviceStarts: [Int]) {
        var out = [
            ParquetColumnData(values: .dictionaryStrings(dictionary: dictionary, indices: deviceIndices)),
            ParquetColumnData(values: .int64(micros)),
            ParquetColumnData(values: .int64(extraNanos)),
        ]
        for (c, field) in schema.fields.enumerated() {
            let column = columns[c]
            let values: ParquetValues = switch field.type {
            case .float: .double(column.doubles)
            case .int, .uint: .int64(column.ints)
            case .bool: .boolean(column.bools)
            }
            out.append(ParquetColumnData(values: values, present: column.present))
        }
        let rows = rowCount, starts = deviceStarts
        deviceStarts = []
        dictionary = []
        lastDevice = nil
        deviceIndices = []
        micros = []
        extraNanos = []
        reserve()
        return (out, rows, starts)
    }
}
