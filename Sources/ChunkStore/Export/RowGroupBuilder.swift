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
    private var nanos: [Int64] = []
    private var columns: [FieldColumn]

    init(schema: ExportSchema) {
        self.schema = schema
        var index: [String: Int] = [:]
        for (i, f) in schema.fields.enumerated() { index[f.name] = i }
        fieldIndex = index
        columns = Array(repeating: FieldColumn(), count: schema.fields.count)
    }

    /// Rows collected so far.
    var rowCount: Int { nanos.count }

    /// Appends rows `range` of `result` (whose device must come at or after the previous one's).
    mutating func append(_ result: RangeResult, rows range: Range<Int>) {
        guard !range.isEmpty else { return }
        if lastDevice != result.device {
            dictionary.append(Array(result.device.utf8))
            lastDevice = result.device
        }
        let device = Int32(dictionary.count - 1)
        deviceIndices.append(contentsOf: repeatElement(device, count: range.count))
        for t in result.timestamps[range] {
            nanos.append(t)
            // Floor to microseconds, so times before 1970 round down like the day they fall on.
            let q = t / 1000
            micros.append(t % 1000 < 0 ? q - 1 : q)
        }
        var filled = Array(repeating: false, count: columns.count)
        for (f, name) in result.fieldNames.enumerated() {
            guard let c = fieldIndex[name] else { continue }
            filled[c] = true
            let values = result.values[f]
            for r in range {
                switch values[r] {
                case .float(let v)?: columns[c].doubles.append(v); columns[c].present.append(true)
                case .int(let v)?: columns[c].ints.append(v); columns[c].present.append(true)
                case .bool(let v)?: columns[c].bools.append(v); columns[c].present.append(true)
                case nil: columns[c].present.append(false)
                }
            }
        }
        for c in columns.indices where !filled[c] {
            columns[c].present.append(contentsOf: repeatElement(false, count: range.count))
        }
    }

    /// The collected columns in schema order and their row count; the builder is emptied.
    mutating func take() -> (columns: [ParquetColumnData], rows: Int) {
        var out = [
            ParquetColumnData(values: .dictionaryStrings(dictionary: dictionary, indices: deviceIndices)),
            ParquetColumnData(values: .int64(micros)),
            ParquetColumnData(values: .int64(nanos)),
        ]
        for (c, field) in schema.fields.enumerated() {
            let column = columns[c]
            let values: ParquetValues = switch field.type {
            case .float: .double(column.doubles)
            case .int: .int64(column.ints)
            case .bool: .boolean(column.bools)
            }
            out.append(ParquetColumnData(values: values, present: column.present))
        }
        let rows = rowCount
        dictionary = []
        lastDevice = nil
        deviceIndices = []
        micros = []
        nanos = []
        columns = Array(repeating: FieldColumn(), count: schema.fields.count)
        return (out, rows)
    }
}
