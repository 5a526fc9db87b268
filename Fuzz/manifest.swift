// Fuzz target: Manifest.decode, on the raw input and with the trailing crc32c fixed up.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? Manifest.decode(bytes, path: "MANIFEST")
    if bytes.count >= 4 {
        FuzzSupport.storeU32(FuzzSupport.crc(bytes[0..<(bytes.count - 4)]), in: &bytes, at: bytes.count - 4)
        if let manifest = try? Manifest.decode(bytes, path: "MANIFEST") {
            // Reserved bytes are not kept, so compare lengths, not bytes.
            precondition(manifest.encoded().count == bytes.count, "a decoded manifest must re-encode to the same length")
        }
    }
    return 0
}
