/// Parsed rows of many devices gathered column by column as they arrive: the ingest hot
/// path's batch. Reused between batches (``removeAll()`` keeps the storage), it avoids a
/// dictionary per row and hands the store per-device columns ready for the WAL and the head.
package struct RecordBatch {
    struct DeviceRows {
        var device: String
        var rows = ColumnarRows()
        var columnIndex: [String: Int] = [:]
    }

    private(set) var devices: [DeviceRows] = []
    private var deviceIndex: [String: Int] = [:]
    /// Rows added since the last ``removeAll()``.
    package private(set) var rowCount = 0
    /// Values added since the last ``removeAll()``.
    package private(set) var pointCount = 0

    package init() {}

    /// Adds one row. Field types must already be checked (see ``Ingester``): a field whose
    /// type differs from the batch's column for it is a programming error and is refused.
    package mutating func append(device: String, timestamp: Int64, fields: [(name: String, value: FieldValue)]) -> Bool {
        let d: Int
        if let known = deviceIndex[device] {
            d = known
        } else {
            d = devices.count
            devices.append(DeviceRows(device: device))
            deviceIndex[device] = d
        }
        for field in fields {
            if let c = devices[d].columnIndex[field.name], devices[d].rows.columns[c].type != field.value.type { return false }
        }
        let row = devices[d].rows.timestamps.count
        devices[d].rows.timestamps.append(timestamp)
        for field in fields {
            let c: Int
            if let known = devices[d].columnIndex[field.name] {
                c = known
            } else {
                c = devices[d].rows.columns.count
                devices[d].rows.columns.append(FieldColumn(name: field.name, type: field.value.type))
                devices[d].columnIndex[field.name] = c
            }
            let missing = row - devices[d].rows.columns[c].bits.count
            if missing > 0 {
                devices[d].rows.columns[c].bits.append(contentsOf: repeatElement(0, count: missing))
                devices[d].rows.columns[c].present.append(repeating: false, count: missing)
            }
            devices[d].rows.columns[c].bits.append(field.value.storageBits)
            devices[d].rows.columns[c].present.append(true)
        }
        rowCount += 1
        pointCount += fields.count
        return true
    }

    /// Pads every column to its device's row count: what the store appends.
    mutating func sealColumns() {
        for d in devices.indices {
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
        rowCount = 0
        pointCount = 0
    }
}
