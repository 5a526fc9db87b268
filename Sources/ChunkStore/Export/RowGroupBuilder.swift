/// Collects rows, device by device in time order, into the columns of one Parquet row
/// group; ``group()`` hands them to the writer and ``reset()`` starts the next group.
///
/// One builder serves a whole export: its arrays keep their capacity across row groups
/// and files, so steady-state exporting does not allocate (or fault in) new memory.
struct RowGroupBuilder {
    private struct Slots {
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
    /// The stored times, exact (nanoseconds since the epoch).
    private var nanos: [Int64] = []
    /// Rows where the device changes: pages start there.
    private var deviceStarts: [Int] = []
    private var columns: [Slots]

    init(schema: ExportSchema, capacity: Int = 0) {
        self.schema = schema
        var index: [String: Int] = [:]
        for (i, f) in schema.fields.enumerated() { index[f.name] = i }
        fieldIndex = index
        deviceIndices.reserveCapacity(capacity)
        micros.reserveCapacity(capacity)
        nanos.reserveCapacity(capacity)
        columns = schema.fields.map { field in
            var column = Slots()
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
        rows.timestamps.withUnsafeBufferPointer { ts in
            nanos.append(contentsOf: ts[range])
            for t in ts[range] {
                // Floor to microseconds, so times before 1970 round down like the day they fall on.
                let q = t / 1000
                micros.append(t % 1000 < 0 ? q - 1 : q)
            }
        }
        var filled = Array(repeating: false, count: columns.count)
        for column in rows.columns {
            guard let c = fieldIndex[column.name] else { continue }
            filled[c] = true
            // Moved out and back so that appends do not go through the array of columns.
            var target = columns[c]
            columns[c] = Slots()
            Self.append(column, range: range, to: &target)
            columns[c] = target
        }
        for c in columns.indices where !filled[c] {
            columns[c].present.append(contentsOf: repeatElement(false, count: range.count))
        }
    }

    /// Copies one field's slots: in bulk when every row of `range` has a value (the usual
    /// case), else row by row.
    private static func append(_ column: FieldColumn, range: Range<Int>, to target: inout Slots) {
        let bits = column.bits
        if column.present.allSet(in: range) {
            target.present.append(contentsOf: repeatElement(true, count: range.count))
            switch column.type {
            case .float: target.doubles.append(contentsOf: bits[range].lazy.map { Double(bitPattern: $0) })
            case .int, .uint: target.ints.append(contentsOf: bits[range].lazy.map { Int64(bitPattern: $0) })
            case .bool: target.bools.append(contentsOf: bits[range].lazy.map { $0 != 0 })
            }
            return
        }
        let present = column.present
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
    }

    /// The collected columns in schema order, their row count and the rows where the
    /// device changes. The arrays are shared with the builder until ``reset()``: drop
    /// the result first so that the builder can reuse their storage.
    func group() -> (columns: [ParquetColumnData], rows: Int, deviceStarts: [Int]) {
        var out = [
            ParquetColumnData(values: .dictionaryStrings(dictionary: dictionary, indices: deviceIndices)),
            ParquetColumnData(values: .int64(micros)),
            ParquetColumnData(values: .int64(nanos)),
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
        return (out, rowCount, deviceStarts)
    }

    /// Empties the builder for the next row group, keeping every array's capacity.
    mutating func reset() {
        dictionary.removeAll(keepingCapacity: true)
        lastDevice = nil
        deviceIndices.removeAll(keepingCapacity: true)
        micros.removeAll(keepingCapacity: true)
        nanos.removeAll(keepingCapacity: true)
        deviceStarts.removeAll(keepingCapacity: true)
        for c in columns.indices {
            columns[c].present.removeAll(keepingCapacity: true)
            columns[c].doubles.removeAll(keepingCapacity: true)
            columns[c].ints.removeAll(keepingCapacity: true)
            columns[c].bools.removeAll(keepingCapacity: true)
        }
    }
}
