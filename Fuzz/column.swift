// Fuzz target: one column block. Byte 0 picks the column (timestamps, float, int, bool),
// bytes 1-2 the row count (little-endian, at most 65535); the rest is the block.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzColumn(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard size >= 3, let data else { return 0 }
    let buffer = UnsafeRawBufferPointer(start: data, count: size)
    let kind = buffer[0] % 4
    let count = Int(buffer[1]) | Int(buffer[2]) << 8
    var reader = ByteReader(UnsafeRawBufferPointer(rebasing: buffer[3...]))
    switch kind {
    case 0:
        _ = try? ColumnBlock.decodeTimestamps(&reader, count: count)
    case 1:
        _ = try? ColumnBlock.decodeField(&reader, name: "f", type: .float, count: count)
    case 2:
        _ = try? ColumnBlock.decodeField(&reader, name: "i", type: .int, count: count)
    default:
        _ = try? ColumnBlock.decodeField(&reader, name: "b", type: .bool, count: count)
    }
    return 0
}
