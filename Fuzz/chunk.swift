// Fuzz target: chunk records (ChunkDecoder.decodeHeader + decodeRows). The input is taken
// once as a whole record and once as a body that gets correct framing (length and crc32c),
// so mutations reach the header and column decoders instead of dying at the checksum.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChunk(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    var framed: [UInt8] = []
    FuzzSupport.appendU32(UInt32(input.count), to: &framed)
    framed += input
    FuzzSupport.appendU32(FuzzSupport.crc(input[...]), to: &framed)
    for record in [input, framed] {
        record.withUnsafeBytes { buffer in
            guard let header = try? ChunkDecoder.decodeHeader(buffer) else { return }
            _ = try? ChunkDecoder.decodeRows(buffer, header: header, fields: nil)
            if let first = header.fields.first {
                _ = try? ChunkDecoder.decodeRows(buffer, header: header, fields: [first.name])
            }
        }
    }
    return 0
}
