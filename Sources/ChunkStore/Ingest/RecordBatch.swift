/// Parsed rows of many devices gathered column by column as they arrive: the ingest hot
/// path's batch. Reused between batches (``removeAll()`` keeps the storage), it avoids a
/// dictionary per row and hands the store per-device columns ready for the WAL and the head.
package struct RecordBatch {
    struct DeviceRows {
        var device: String
        var rows = ColumnarRows()
        var columnIndex: [String: Int] = [:]
        /// The field names of the last row, in order, and their columns: rows of one
        /// device repeat their field order, so this replaces the lookups by name.
        var lastNames: [String] = []
        var lastColumns: [Int] = []
        /// The last row's ``LineProtocolRow/Field/shape``s when it came from the line
        /// protocol fast path (else empty): equal shapes mean the same names and types, so
        /// ``appendFast(_:timestamp:row:)`` can reuse `lastColumns` without a String.
        var lastShapes: [Int] = []
        /// Fast-path rows not yet in `rows.columns` (their timestamps are): row-major,
        /// `lastColumns.count` values per row, in the order of `lastColumns`, in the first
        /// `stagedRows` rows (the array may be longer).
        var staged: [UInt64] = []
        var stagedRows = 0
    }

    private(set) var devices: [DeviceRows] = []
    private var deviceIndex: [String: Int] = [:]
    /// The index in `devices` per caller key (see ``append(device:key:timestamp:fields:)``), or -1.
    private var indexByKey: [Int] = []
    /// Rows added since the last ``removeAll()``.
    package private(set) var rowCount = 0
    /// Values added since the last ``removeAll()``.
    package private(set) var pointCount = 0

    package init() {}

    /// Adds one row. Field types must already be checked (see ``Ingester``): a field whose
    /// type differs from the batch's column for it is a programming error and is refused.
    package mutating func append(device: String, timestamp: Int64, fields: [(name: String, value: FieldValue)]) -> Bool {
        append(device: device, key: -1, timestamp: timestamp, fields: fields)
    }

    /// `append` for a caller that numbers its devices: `key` (a small integer that always
    /// means the same `device`, or -1 for none) finds the device without hashing its name.
    package mutating func append(device: String, key: Int, timestamp: Int64, fields: [(name: String, value: FieldValue)]) -> Bool {
        append(device: device, key: key, timestamp: timestamp, fields: fields, shapes: [])
    }

    /// `shapes` are the row's field shapes when the line protocol fast path parsed it.
    mutating func append(device: String, key: Int, timestamp: Int64, fields: [(name: String, value: FieldValue)],
                         shapes: [Int]) -> Bool {
        let d = index(of: device, key: key)
        unstage(d)
        guard let columns = columnsFor(d, fields) else { return false }
        devices[d].lastShapes = shapes
        let row = devices[d].rows.timestamps.count
        devices[d].rows.timestamps.append(timestamp)
        // Through the buffer, each append checks only its own array's uniqueness, not
        // those of `devices` and `columns` as well.
        devices[d].rows.columns.withUnsafeMutableBufferPointer { slots in
            for (k, field) in fields.enumerated() {
                let c = columns[k]
                let missing = row - slots[c].bits.count
                if missing > 0 {
                    slots[c].bits.append(contentsOf: repeatElement(0, count: missing))
                    slots[c].present.append(repeating: false, count: missing)
                }
                slots[c].bits.append(field.value.storageBits)
                slots[c].present.append(true)
            }
        }
        rowCount += 1
        pointCount += fields.count
        return true
    }

    /// The device slot for `key` when the batch holds that device and its last row had
    /// exactly `row`'s field shapes (names and types), else nil: then use
    /// ``append(device:key:timestamp:fields:shapes:)``.
    func fastSlot(key: Int, row: LineProtocolRow) -> Int? {
        guard key >= 0, key < indexByKey.count else { return nil }
        let d = indexByKey[key]
        guard d >= 0, row.hasShapes(devices[d].lastShapes) else { return nil }
        return d
    }

    /// Appends a fast-path row to device slot `d` from ``fastSlot(key:row:)``. Its values
    /// are staged row by row (one copy of the row, one uniqueness check) and moved into
    /// the last row's columns in bulk later, by ``unstage(_:)``.
    mutating func appendFast(_ d: Int, timestamp: Int64, row: LineProtocolRow) {
        devices[d].rows.timestamps.append(timestamp)
        // `staged` grows by doubling and is written in place: one uniqueness check a row,
        // no generic append of a buffer.
        let start = devices[d].stagedRows &* row.count
        if devices[d].staged.count < start + row.count {
            devices[d].staged.append(contentsOf: repeatElement(0, count: max(start + row.count, 64)))
        }
        devices[d].staged.withUnsafeMutableBufferPointer { staged in
            row.values.withUnsafeBufferPointer { values in
                for k in 0..<row.count { staged[start &+ k] = values[k] }
            }
        }
        devices[d].stagedRows += 1
        rowCount += 1
        pointCount += row.count
    }

    /// Moves device `d`'s staged rows into their columns (`lastColumns`, which cannot
    /// change while rows are staged: only ``columnsFor(_:_:)`` changes it, after this).
    private mutating func unstage(_ d: Int) {
        let count = devices[d].stagedRows
        guard count > 0 else { return }
        let width = devices[d].lastColumns.count
        let first = devices[d].rows.timestamps.count - count
        do {
            let staged = devices[d].staged
            let columns = devices[d].lastColumns
            devices[d].rows.columns.withUnsafeMutableBufferPointer { slots in
                staged.withUnsafeBufferPointer { staged in
                    for (k, c) in columns.enumerated() {
                        let missing = first - slots[c].bits.count
                        if missing > 0 {
                            slots[c].bits.append(contentsOf: repeatElement(0, count: missing))
                            slots[c].present.append(repeating: false, count: missing)
                        }
                        slots[c].bits.append(contentsOf: repeatElement(0, count: count))
                        slots[c].bits.withUnsafeMutableBufferPointer { bits in
                            for r in 0..<count { bits[first &+ r] = staged[r &* width &+ k] }
                        }
                        slots[c].present.append(repeating: true, count: count)
                    }
                }
            }
        }
        devices[d].stagedRows = 0
    }

    private mutating func index(of device: String, key: Int) -> Int {
        if key >= 0, key < indexByKey.count, indexByKey[key] >= 0 { return indexByKey[key] }
        let d: Int
        if let known = deviceIndex[device] {
            d = known
        } else {
            d = devices.count
            devices.append(DeviceRows(device: device))
            deviceIndex[device] = d
        }
        if key >= 0 {
            if key >= indexByKey.count { indexByKey.append(contentsOf: repeatElement(-1, count: key + 1 - indexByKey.count)) }
            indexByKey[key] = d
        }
        return d
    }

    /// The column of each field of a row of device `d`, created (typed by the value)
    /// where new; nil, with nothing changed, when a value's type differs from its column's.
    private mutating func columnsFor(_ d: Int, _ fields: [(name: String, value: FieldValue)]) -> [Int]? {
        if fields.count == devices[d].lastNames.count,
           fields.indices.allSatisfy({ fields[$0].name == devices[d].lastNames[$0] }) {
            for (k, field) in fields.enumerated()
            where devices[d].rows.columns[devices[d].lastColumns[k]].type != field.value.type {
                return nil
            }
            return devices[d].lastColumns
        }
        for field in fields {
            if let c = devices[d].columnIndex[field.name], devices[d].rows.columns[c].type != field.value.type { return nil }
        }
        var columns: [Int] = []
        columns.reserveCapacity(fields.count)
        for field in fields {
            if let known = devices[d].columnIndex[field.name] {
                columns.append(known)
            } else {
                let c = devices[d].rows.columns.count
                devices[d].rows.columns.append(FieldColumn(name: field.name, type: field.value.type))
                devices[d].columnIndex[field.name] = c
                columns.append(c)
            }
        }
        devices[d].lastNames = fields.map(\.name)
        devices[d].lastColumns = columns
        return columns
    }

    /// Moves staged rows into their columns and pads every column to its device's row
    /// count: what the store appends.
    mutating func sealColumns() {
        for d in devices.indices {
            unstage(d)
            let count = devices[d].rows.timestamps.count
            for c in devices[d].rows.columns.indices {
                let missing = count - devices[d].rows.columns[c].bits.count
                if missing > 0 {
                    devices[d].rows.columns[c].bits.append(contentsOf: repeatElement(0, count: missing))
                    devices[d].rows.columns[c].present.append(repeating: false, count: missing)
                }
            }
        }
    }

    /// Empties the batch.
    package mutating func removeAll() {
        devices.removeAll(keepingCapacity: true)
        deviceIndex.removeAll(keepingCapacity: true)
        for k in indexByKey.indices { indexByKey[k] = -1 }
        rowCount = 0
        pointCount = 0
    }
}
