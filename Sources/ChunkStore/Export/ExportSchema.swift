/// The columns of an export: `device`, `time`, `time_ns`, then one per field name across
/// the selected devices, in byte order of the name. A field must have one type across
/// devices to become one column.
struct ExportSchema: Equatable {
    /// Field columns: name and type.
    var fields: [FieldDescriptor]

    /// Names taken by the fixed columns; a field with one of them cannot be exported.
    static let reserved: Set<String> = ["device", "time", "time_ns"]

    /// The union of the devices' fields, or an error naming a field stored with two types.
    static func of(_ devices: [DeviceInfo]) throws(StoreError) -> ExportSchema {
        var types: [String: (FieldType, String)] = [:]
        for device in devices {
            for field in device.fields {
                if reserved.contains(field.name) {
                    throw StoreError.invalidField(device: device.device, field: field.name,
                                                  reason: "the name clashes with the export's own \(field.name) column")
                }
                if let (type, other) = types[field.name], type != field.type {
                    throw StoreError.invalidField(device: device.device, field: field.name,
                                                  reason: "stored as \(field.type) here but as \(type) by device \"\(other)\"; one Parquet column needs one type")
                }
                types[field.name] = types[field.name] ?? (field.type, device.device)
            }
        }
        let fields = types.map { FieldDescriptor(name: $0.key, type: $0.value.0) }.sorted { $0.name.precedesInBytes($1.name) }
        return ExportSchema(fields: fields)
    }

    /// The Parquet columns.
    var parquetColumns: [ParquetColumnSpec] {
        var columns = [
            ParquetColumnSpec(name: "device", type: .byteArray, repetition: .required, annotation: .string),
            ParquetColumnSpec(name: "time", type: .int64, repetition: .required, annotation: .timestampMicrosUTC),
            // The exact stored time: `time` (microseconds, what engines treat as a timestamp)
            // cannot hold nanoseconds, and Spark refuses TIMESTAMP(NANOS).
            ParquetColumnSpec(name: "time_ns", type: .int64, repetition: .required),
        ]
        for field in fields {
            let type: ParquetPhysicalType = switch field.type {
            case .float: .double
            case .int, .uint: .int64
            case .bool: .boolean
            }
            columns.append(ParquetColumnSpec(name: field.name, type: type, repetition: .optional,
                                             annotation: field.type == .uint ? .uint64 : nil))
        }
        return columns
    }

    /// A stable description, part of the incremental state's fingerprint.
    var key: String { fields.map { "\($0.name):\($0.type)" }.joined(separator: ",") }
}
