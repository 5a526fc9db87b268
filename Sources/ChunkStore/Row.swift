/// One reading of one device: a timestamp and some fields.
///
/// The convenient way to append. For the hot path, see ``ColumnBatch``.
public struct Row: Sendable, Hashable {
    /// The device id: UTF-8, 1 to 255 bytes, no control characters.
    public var device: String
    /// Nanoseconds since the Unix epoch, UTC.
    public var timestamp: Int64
    /// Field name (UTF-8, 1 to 255 bytes) to value. A row may omit any field.
    public var fields: [String: FieldValue]

    /// Creates a row.
    public init(device: String, timestamp: Int64, fields: [String: FieldValue]) {
        self.device = device
        self.timestamp = timestamp
        self.fields = fields
    }
}
