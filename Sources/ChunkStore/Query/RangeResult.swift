/// Raw rows of one device, time-ordered and deduplicated, column by column.
public struct RangeResult: Sendable, Hashable {
    /// The device.
    public var device: String
    /// Names of the returned fields, in column order.
    public var fieldNames: [String]
    /// One timestamp per row, strictly increasing.
    public var timestamps: [Int64]
    /// `values[f][r]`: field `f` of row `r`, nil where missing.
    public var values: [[FieldValue?]]

    /// Creates a result.
    public init(device: String, fieldNames: [String], timestamps: [Int64], values: [[FieldValue?]]) {
        self.device = device
        self.fieldNames = fieldNames
        self.timestamps = timestamps
        self.values = values
    }

    /// Number of rows.
    public var count: Int { timestamps.count }
}
