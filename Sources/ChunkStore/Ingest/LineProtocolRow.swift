/// One line protocol line as the parser's fast path leaves it: the device and each field
/// as interned ids rather than Strings, each value as its 64-bit storage payload. Nothing
/// in it is reference counted, so filling and reading it per line costs no retains.
///
/// Refilled for every line; `fields` keeps its slots between lines and only its first
/// `count` entries are meaningful.
struct LineProtocolRow {
    struct Field: Equatable {
        /// The field name's interned id and the value's type in one word
        /// (`id << 2 | type.rawValue`): comparing a line's shape with the last one of its
        /// device is one integer comparison per field.
        var shape: Int
        /// ``FieldValue/storageBits`` of the value.
        var bits: UInt64

        var type: FieldType { FieldType(rawValue: UInt8(truncatingIfNeeded: shape & 3)) ?? .float }

        static func shape(id: Int, type: FieldType) -> Int { id << 2 | Int(type.rawValue) }
    }

    /// The device name's interned id.
    var deviceID = -1
    /// Nanoseconds since the Unix epoch, or nil when the line had none.
    var timestamp: Int64?
    /// Fields in line order, each name at most once.
    var count = 0
    var fields = [Field](repeating: Field(shape: 0, bits: 0), count: 32)

    /// The shapes of the line's fields, to remember as a device's last shape.
    var shapes: [Int] { (0..<count).map { fields[$0].shape } }

    /// Whether the line's fields have exactly `shapes`, in order.
    func hasShapes(_ shapes: [Int]) -> Bool {
        guard shapes.count == count else { return false }
        return fields.withUnsafeBufferPointer { mine in
            shapes.withUnsafeBufferPointer { theirs in
                for k in 0..<theirs.count where mine[k].shape != theirs[k] { return false }
                return true
            }
        }
    }
}
