/// One line protocol line as the parser's fast path leaves it: the device and each field
/// as interned ids rather than Strings, each value as its 64-bit storage payload. Nothing
/// in it is reference counted, so filling and reading it per line costs no retains.
///
/// Refilled for every line; the arrays keep their slots between lines and only their
/// first `count` entries are meaningful. Shapes and values are kept apart so that each is
/// contiguous: a row's values are copied into a batch in one piece.
struct LineProtocolRow {
    /// The device name's interned id.
    var deviceID = -1
    /// Nanoseconds since the Unix epoch, or nil when the line had none.
    var timestamp: Int64?
    /// Fields in the line, each name at most once.
    var count = 0
    /// Per field, in line order, the name's interned id and the value's type in one word
    /// (see ``shape(id:type:)``): comparing a line's shape with the last one of its
    /// device is one integer comparison per field.
    var shapes = [Int](repeating: 0, count: 32)
    /// Per field, ``FieldValue/storageBits`` of the value.
    var values = [UInt64](repeating: 0, count: 32)

    static func shape(id: Int, type: FieldType) -> Int { id << 3 | Int(type.rawValue) }
    static func id(ofShape shape: Int) -> Int { shape >> 3 }
    static func type(ofShape shape: Int) -> FieldType {
        FieldType(rawValue: UInt8(truncatingIfNeeded: shape & 7)) ?? .float
    }

    /// Room for `count` fields, the slots doubled as often as needed.
    mutating func makeRoom(for count: Int) {
        while shapes.count < count {
            shapes += shapes
            values += values
        }
    }

    /// The shapes of the line's fields, to remember as a device's last shape.
    var lineShapes: [Int] { Array(shapes[0..<count]) }

    /// Whether the line's fields have exactly `other`, in order.
    func hasShapes(_ other: [Int]) -> Bool {
        guard other.count == count else { return false }
        return shapes.withUnsafeBufferPointer { mine in
            other.withUnsafeBufferPointer { theirs in
                for k in 0..<theirs.count where mine[k] != theirs[k] { return false }
                return true
            }
        }
    }
}
