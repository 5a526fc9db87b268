/// Encodes Thrift structs with the Thrift compact protocol, which Parquet uses for its
/// footer (`FileMetaData`) and page headers (parquet-format README, "Metadata").
///
/// Only the writing half, and only the wire types Parquet's metadata needs. References
/// are to the Thrift compact protocol specification (thrift `doc/specs/thrift-compact-protocol.md`).
struct ThriftCompactWriter {
    /// Compact-protocol wire type codes ("Struct encoding": the 4-bit type nibble).
    enum WireType: UInt8 {
        case booleanTrue = 1, booleanFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6
        case double = 7, binary = 8, list = 9, set = 10, map = 11, structure = 12
    }

    private(set) var out = ByteWriter()
    /// Field id of the previous field in each open struct; field headers store deltas.
    private var lastFieldIDs: [Int16] = [0]

    /// The encoded bytes so far.
    var bytes: [UInt8] { out.bytes }

    /// Writes a field header. "Field header": a 1..15 delta from the previous field id
    /// shares the byte with the type nibble (`dddd tttt`); otherwise the type byte is
    /// followed by the id as a zigzag varint.
    private mutating func fieldHeader(_ id: Int16, _ type: WireType) {
        let delta = Int(id) - Int(lastFieldIDs[lastFieldIDs.count - 1])
        if delta > 0 && delta <= 15 {
            out.appendU8(UInt8(delta) << 4 | type.rawValue)
        } else {
            out.appendU8(type.rawValue)
            out.appendZigZagVarint(Int64(id))
        }
        lastFieldIDs[lastFieldIDs.count - 1] = id
    }

    /// An i32 field (also used for Thrift enums): zigzag varint ("Integer encoding").
    mutating func i32(_ id: Int16, _ value: Int32) {
        fieldHeader(id, .i32)
        out.appendZigZagVarint(Int64(value))
    }

    /// An i16 field: zigzag varint.
    mutating func i16(_ id: Int16, _ value: Int16) {
        fieldHeader(id, .i16)
        out.appendZigZagVarint(Int64(value))
    }

    /// An i8 ("byte") field: one raw byte.
    mutating func i8(_ id: Int16, _ value: Int8) {
        fieldHeader(id, .byte)
        out.appendU8(UInt8(bitPattern: value))
    }

    /// An i64 field: zigzag varint.
    mutating func i64(_ id: Int16, _ value: Int64) {
        fieldHeader(id, .i64)
        out.appendZigZagVarint(value)
    }

    /// A bool field: the value is the type nibble itself ("Boolean encoding").
    mutating func bool(_ id: Int16, _ value: Bool) {
        fieldHeader(id, value ? .booleanTrue : .booleanFalse)
    }

    /// A binary or string field: uvarint length, then the bytes ("Binary encoding").
    mutating func binary(_ id: Int16, _ value: [UInt8]) {
        fieldHeader(id, .binary)
        out.appendUVarint(UInt64(value.count))
        out.append(value)
    }

    /// A string field (UTF-8 binary).
    mutating func string(_ id: Int16, _ value: String) {
        binary(id, Array(value.utf8))
    }

    /// Opens a nested struct field; close it with ``endStruct()``.
    mutating func beginStruct(_ id: Int16) {
        fieldHeader(id, .structure)
        lastFieldIDs.append(0)
    }

    /// Writes the stop byte of the current struct and returns to the enclosing one.
    mutating func endStruct() {
        out.appendU8(0)
        if lastFieldIDs.count > 1 { lastFieldIDs.removeLast() }
    }

    /// Opens a struct that is a list element (no field header).
    mutating func beginElementStruct() {
        lastFieldIDs.append(0)
    }

    /// A list field header ("List and set encoding"): `ssss tttt` when the size is below
    /// 15, else `1111 tttt` followed by the size as a uvarint. Elements follow.
    mutating func listHeader(_ id: Int16, elementType: WireType, count: Int) {
        fieldHeader(id, .list)
        if count < 15 {
            out.appendU8(UInt8(count) << 4 | elementType.rawValue)
        } else {
            out.appendU8(0xF0 | elementType.rawValue)
            out.appendUVarint(UInt64(count))
        }
    }

    /// An i32 list element.
    mutating func elementI32(_ value: Int32) { out.appendZigZagVarint(Int64(value)) }

    /// A binary/string list element.
    mutating func elementString(_ value: String) {
        let bytes = Array(value.utf8)
        out.appendUVarint(UInt64(bytes.count))
        out.append(bytes)
    }

    /// An empty struct field (used for the members of Thrift unions that carry no data).
    mutating func emptyStruct(_ id: Int16) {
        beginStruct(id)
        endStruct()
    }

    /// Ends the outermost struct: the stop byte.
    mutating func finish() -> [UInt8] {
        out.appendU8(0)
        return out.bytes
    }
}
