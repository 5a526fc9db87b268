/// Rows of one device given column by column: the fast way to append.
///
/// Every column has exactly `timestamps.count` slots; a slot whose presence
/// bit is false is a missing value (not zero).
public struct ColumnBatch: Sendable {
    /// The device all rows belong to.
    public var device: String
    /// One timestamp per row, nanoseconds since the Unix epoch, in any order.
    public var timestamps: [Int64]
    /// The field columns.
    public var columns: [Column]

    /// Creates a batch.
    public init(device: String, timestamps: [Int64], columns: [Column]) {
        self.device = device
        self.timestamps = timestamps
        self.columns = columns
    }

    /// One field's values in a ``ColumnBatch``.
    public struct Column: Sendable {
        /// The field name.
        public var name: String
        /// The values, one per row.
        public var values: Values
        /// Which rows have a value; `nil` means all of them.
        public var present: [Bool]?

        /// Creates a column.
        public init(name: String, values: Values, present: [Bool]? = nil) {
            self.name = name
            self.values = values
            self.present = present
        }

        /// The number of slots.
        public var count: Int {
            switch values {
            case .float(let v): v.count
            case .int(let v): v.count
            case .bool(let v): v.count
            case .uint(let v): v.count
            }
        }

        /// The column's field type.
        public var type: FieldType {
            switch values {
            case .float: .float
            case .int: .int
            case .bool: .bool
            case .uint: .uint
            }
        }
    }

    /// Typed values of a column.
    public enum Values: Sendable {
        /// Float values.
        case float([Double])
        /// Integer values.
        case int([Int64])
        /// Boolean values.
        case bool([Bool])
        /// Unsigned integer values.
        case uint([UInt64])
    }
}
