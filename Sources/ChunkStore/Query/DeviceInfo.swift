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
    /// Rows, after duplicates are resolved: what a query over all time returns, the rows
    /// not yet sealed included.
    public var rows: Int
    /// Values present in those rows (a row with three fields set counts three).
    public var points: Int

    /// Creates a device description.
    public init(device: String, fields: [FieldDescriptor], firstTimestamp: Int64, lastTimestamp: Int64, rows: Int,
                points: Int = 0) {
        self.device = device
        self.fields = fields
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.rows = rows
        self.points = points
    }
}
