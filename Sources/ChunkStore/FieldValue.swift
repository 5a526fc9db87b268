/// The type of a field's values. A field keeps one type per device for the life of the store.
public enum FieldType: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// IEEE 754 binary64; NaN, infinities and -0.0 are stored bit for bit.
    case float = 1
    /// Signed 64-bit integer.
    case int = 2
    /// Boolean.
    case bool = 3
    /// Unsigned 64-bit integer (line protocol's `123u`), stored exactly up to 2^64-1.
    case uint = 4

    /// `float`, `int`, `bool` or `uint`.
    public var description: String {
        switch self {
        case .float: "float"
        case .int: "int"
        case .bool: "bool"
        case .uint: "uint"
        }
    }
}

/// One field value of a row.
public enum FieldValue: Sendable, Hashable, CustomStringConvertible {
    /// A float value.
    case float(Double)
    /// An integer value.
    case int(Int64)
    /// A boolean value.
    case bool(Bool)
    /// An unsigned integer value.
    case uint(UInt64)

    /// The type of this value.
    public var type: FieldType {
        switch self {
        case .float: .float
        case .int: .int
        case .bool: .bool
        case .uint: .uint
        }
    }

    /// The value as a Double (booleans as 0 or 1), for arithmetic and display.
    public var doubleValue: Double {
        switch self {
        case .float(let v): v
        case .int(let v): Double(v)
        case .bool(let v): v ? 1 : 0
        case .uint(let v): Double(v)
        }
    }

    /// The value as text: shortest round-tripping decimal for floats.
    public var description: String {
        switch self {
        case .float(let v): "\(v)"
        case .int(let v): "\(v)"
        case .bool(let v): v ? "true" : "false"
        case .uint(let v): "\(v)"
        }
    }

    /// The 64-bit payload stored on disk: `Double.bitPattern`, the integer's two's complement, or 0/1.
    var storageBits: UInt64 {
        switch self {
        case .float(let v): v.bitPattern
        case .int(let v): UInt64(bitPattern: v)
        case .bool(let v): v ? 1 : 0
        case .uint(let v): v
        }
    }

    /// Rebuilds a value from its type and 64-bit payload.
    init(type: FieldType, bits: UInt64) {
        switch type {
        case .float: self = .float(Double(bitPattern: bits))
        case .int: self = .int(Int64(bitPattern: bits))
        case .bool: self = .bool(bits != 0)
        case .uint: self = .uint(bits)
        }
    }

    /// Bit-exact equality: `.float(.nan) == .float(.nan)` when the payloads match,
    /// and `0.0` differs from `-0.0`. What a storage engine must preserve.
    public static func == (lhs: FieldValue, rhs: FieldValue) -> Bool {
        lhs.type == rhs.type && lhs.storageBits == rhs.storageBits
    }

    /// Hashes the type and payload bits, consistent with bit-exact ``==``.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combine(storageBits)
    }
}
