// Fuzz target: Manifest.decode, on the raw input and with the trailing crc32c fixed up.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? Manifest.decode(bytes, path: "MANIFEST")
    if bytes.count >= 4 {
        FuzzSupport.storeU32(FuzzSupport.crc(bytes[0..<(bytes.count - 4)]), in: &bytes, at: bytes.count - 4)
        if let manifest = try? Manifest.decode(bytes, path: "MANIFEST") {
            // Reserved bytes are not kept, so compare lengths, not bytes; a version 1 manifest
            // re-encodes as version 2 (16 bytes more, and 8 more per data file).
            let version = Int(bytes[4]) | Int(bytes[5]) << 8
            let growth = version == 1 ? 16 + 8 * manifest.dataFiles.count : 0
            precondition(manifest.encoded().count == bytes.count + growth, "a decoded manifest must re-encode to the same length")
            precondition((try? Manifest.decode(manifest.encoded(), path: "MANIFEST")) == manifest, "a manifest must survive re-encoding")
        }
    }
    return 0
}
