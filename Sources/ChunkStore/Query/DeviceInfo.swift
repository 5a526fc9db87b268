/// What the store knows of one device.
public struct DeviceInfo: Sendable, Hashable {
    /// The device id.
    public var device: String
    /// Field names and their types, sorted by name.
    public var fields: [FieldDescriptor]
    /// Earliest timestamp stored.
    public var firstTimestamp: Int64
    /// Latest timestamp stored.
    public var lastTimestamp: Int64
    /// Rows stored (in sealed chunks, before deduplication across chunks, plus the head).
    public var rows: Int

    /// Creates a device description.
    public init(device: String, fields: [FieldDescriptor], firstTimestamp: Int64, lastTimestamp: Int64, rows: Int) {
        self.device = device
        self.fields = fields
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.rows = rows
    }
}

/// A field name and its type.
public struct FieldDescriptor: Sendable, Hashable {
    /// The field name.
    public var name: String
    /// The field's type.
    public var type: FieldType

    /// Creates a descriptor.
    public init(name: String, type: FieldType) {
        self.name = name
        self.type = type
    }
}
