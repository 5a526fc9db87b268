/// The latest row of a device: its largest timestamp and the fields present at it.
public struct LatestRow: Sendable, Hashable {
    /// The device.
    public var device: String
    /// The largest timestamp stored for the device.
    public var timestamp: Int64
    /// Fields with a value at that timestamp (duplicates resolved by the store's policy).
    public var fields: [String: FieldValue]

    /// Creates a row.
    public init(device: String, timestamp: Int64, fields: [String: FieldValue]) {
        self.device = device
        self.timestamp = timestamp
        self.fields = fields
    }
}
