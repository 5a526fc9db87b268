/// Collects latest rows one device at a time, in device order, into ``LatestRows``.
/// Fields get a column when first seen; `build()` sorts the columns by name bytes.
struct LatestRowsBuilder {
    private var devices: [String] = []
    private var timestamps: [Int64] = []
    private var rowStarts: [Int32] = [0]
    private var cellFields: [Int32] = []
    private var cellValues: [FieldValue] = []
    private var fieldNames: [String] = []
    private var columnByName: [String: Int32] = [:]

    init(capacity: Int = 0) {
        devices.reserveCapacity(capacity)
        timestamps.reserveCapacity(capacity)
        rowStarts.reserveCapacity(capacity + 1)
    }

    /// The column of field `name`, added when new.
    mutating func column(_ name: String) -> Int32 {
        if let column = columnByName[name] { return column }
        let column = Int32(fieldNames.count)
        fieldNames.append(name)
        columnByName[name] = column
        return column
    }

    /// Starts the next row; `addValue` then fills it until the next `beginRow` or `build`.
    mutating func beginRow(device: String, timestamp: Int64) {
        if !devices.isEmpty { rowStarts.append(Int32(cellFields.count)) }
        devices.append(device)
        timestamps.append(timestamp)
    }

    /// Sets the current row's timestamp, for readers that learn it with the values.
    mutating func setTimestamp(_ timestamp: Int64) {
        timestamps[timestamps.count - 1] = timestamp
    }

    mutating func addValue(column: Int32, _ value: FieldValue) {
        cellFields.append(column)
        cellValues.append(value)
    }

    mutating func append(device: String, _ latest: LatestValues) {
        beginRow(device: device, timestamp: latest.timestamp)
        for value in latest.values { addValue(column: column(value.name), FieldValue(type: value.type, bits: value.bits)) }
    }

    consuming func build() -> LatestRows {
        if !devices.isEmpty { rowStarts.append(Int32(cellFields.count)) }
        let order = fieldNames.indices.sorted { fieldNames[$0].precedesInBytes(fieldNames[$1]) }
        var rank = [Int32](repeating: 0, count: order.count)
        for (position, column) in order.enumerated() { rank[column] = Int32(position) }
        for c in cellFields.indices { cellFields[c] = rank[Int(cellFields[c])] }
        for r in devices.indices {
            let cells = Int(rowStarts[r])..<Int(rowStarts[r + 1])
            if cells.count > 1, !zip(cellFields[cells], cellFields[cells].dropFirst()).allSatisfy({ $0 < $1 }) {
                let sorted = cells.sorted { cellFields[$0] < cellFields[$1] }
                let fields = sorted.map { cellFields[$0] }, values = sorted.map { cellValues[$0] }
                cellFields.replaceSubrange(cells, with: fields)
                cellValues.replaceSubrange(cells, with: values)
            }
        }
        return LatestRows(devices: devices, timestamps: timestamps, fieldNames: order.map { fieldNames[$0] },
                          rowStarts: rowStarts, cellFields: cellFields, cellValues: cellValues)
    }
}
