/// Checks appended rows against the data model and each device's field types, and cuts
/// them into per-device-day column groups, the unit of the WAL and of sealing.
///
/// Nothing is written until a whole append has passed these checks, so an append is
/// applied entirely or not at all.
struct BatchBuilder {
    /// Field types known for a device (stored or already buffered).
    let schemaOf: (String) throws -> [String: FieldType]
    /// Fields this append introduces, to be remembered once it is durable.
    private(set) var newFields: [String: [String: FieldType]] = [:]
    private var schemas: [String: [String: FieldType]] = [:]

    init(schemaOf: @escaping (String) throws -> [String: FieldType]) {
        self.schemaOf = schemaOf
    }

    /// Groups for a list of rows of any devices.
    mutating func groups(for rows: [Row]) throws -> [(key: DeviceDay, rows: ColumnarRows)] {
        var order: [DeviceDay] = []
        var groups: [DeviceDay: [Row]] = [:]
        for row in rows {
            let key = DeviceDay(device: row.device, day: utcDay(of: row.timestamp))
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(row)
        }
        var result: [(key: DeviceDay, rows: ColumnarRows)] = []
        for key in order {
            guard let members = groups[key] else { continue }
            try checkDevice(key.device)
            var columns = ColumnarRows()
            columns.timestamps = members.map(\.timestamp)
            var names: [String: Int] = [:]
            for (r, row) in members.enumerated() {
                for (name, value) in row.fields {
                    let type = try checkField(name, type: value.type, device: key.device)
                    let index: Int
                    if let i = names[name] {
                        index = i
                    } else {
                        index = columns.columns.count
                        names[name] = index
                        columns.columns.append(FieldColumn(name: name, type: type, bits: [UInt64](repeating: 0, count: members.count),
                                                           present: Bitmap(count: members.count, value: false)))
                    }
                    columns.columns[index].bits[r] = value.storageBits
                    columns.columns[index].present[r] = true
                }
            }
            result.append((key, columns))
        }
        return result
    }

    /// Groups for a columnar batch of one device.
    mutating func groups(for batch: ColumnBatch) throws -> [(key: DeviceDay, rows: ColumnarRows)] {
        try checkDevice(batch.device)
        let count = batch.timestamps.count
        var columns: [FieldColumn] = []
        var seen = Set<String>()
        for column in batch.columns {
            guard column.count == count, column.present.map({ $0.count == count }) ?? true else {
                throw StoreError.invalidArgument("column \(column.name) of device \(batch.device) has \(column.count) values for \(count) timestamps")
            }
            guard seen.insert(column.name).inserted else {
                throw StoreError.invalidField(device: batch.device, field: column.name, reason: "appears twice in one batch")
            }
            let type = try checkField(column.name, type: column.type, device: batch.device)
            let bits: [UInt64]
            switch column.values {
            case .float(let v): bits = v.map(\.bitPattern)
            case .int(let v): bits = v.map { UInt64(bitPattern: $0) }
            case .bool(let v): bits = v.map { $0 ? 1 : 0 }
            case .uint(let v): bits = v
            }
            let present = column.present.map { Bitmap($0) } ?? Bitmap(count: count, value: true)
            columns.append(FieldColumn(name: column.name, type: type, bits: bits, present: present))
        }
        return count == 0 ? [] : split(ColumnarRows(timestamps: batch.timestamps, columns: columns), device: batch.device)
    }

    /// Groups for a parsed batch (devices and types already checked by the ingester,
    /// checked again here so the store never trusts its caller).
    mutating func groups(for batch: RecordBatch) throws -> [(key: DeviceDay, rows: ColumnarRows)] {
        var result: [(key: DeviceDay, rows: ColumnarRows)] = []
        for device in batch.devices {
            try checkDevice(device.device)
            for column in device.rows.columns { _ = try checkField(column.name, type: column.type, device: device.device) }
            result += split(device.rows, device: device.device)
        }
        return result
    }

    /// Cuts one device's rows by UTC day; rows of a single day are taken whole.
    private func split(_ rows: ColumnarRows, device: String) -> [(key: DeviceDay, rows: ColumnarRows)] {
        guard let first = rows.timestamps.first else { return [] }
        let firstDay = utcDay(of: first)
        if rows.timestamps.allSatisfy({ utcDay(of: $0) == firstDay }) {
            return [(DeviceDay(device: device, day: firstDay), rows)]
        }
        var byDay: [Int32: [Int]] = [:]
        for (i, t) in rows.timestamps.enumerated() { byDay[utcDay(of: t), default: []].append(i) }
        return byDay.keys.sorted().map { day in
            let members = byDay[day] ?? []
            let part = ColumnarRows(timestamps: members.map { rows.timestamps[$0] }, columns: rows.columns.map { column in
                var present = Bitmap(count: 0, value: false)
                for r in members { present.append(column.present[r]) }
                return FieldColumn(name: column.name, type: column.type, bits: members.map { column.bits[$0] }, present: present)
            })
            return (DeviceDay(device: device, day: day), part)
        }
    }

    private mutating func checkDevice(_ device: String) throws {
        if schemas[device] != nil { return }
        try BatchBuilder.validateName(device) { StoreError.invalidDevice(device: device, reason: $0) }
        schemas[device] = try schemaOf(device)
    }

    /// The type the field must have; records it when new.
    private mutating func checkField(_ name: String, type: FieldType, device: String) throws -> FieldType {
        if let existing = schemas[device]?[name] {
            guard existing == type else {
                throw StoreError.typeMismatch(device: device, field: name, existing: existing, given: type)
            }
            return existing
        }
        try BatchBuilder.validateName(name) { StoreError.invalidField(device: device, field: name, reason: $0) }
        schemas[device, default: [:]][name] = type
        newFields[device, default: [:]][name] = type
        return type
    }

    /// Device ids and field names: 1 to 255 UTF-8 bytes, no control characters.
    static func validateName(_ name: String, _ error: (String) -> StoreError) throws {
        let length = name.utf8.count
        guard length >= 1 else { throw error("must not be empty") }
        guard length <= FormatConstants.maxNameLength else { throw error("is \(length) bytes long; the limit is 255") }
        guard !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }) else {
            throw error("contains a control character")
        }
    }
}

/// The UTC day (days since 1970-01-01, negative before) of a timestamp in ns.
func utcDay(of timestamp: Int64) -> Int32 {
    Int32(CivilTime.dayNumber(ofNanos: timestamp))
}
