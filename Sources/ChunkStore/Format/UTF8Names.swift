extension String {
    /// The bytes as a String when they are valid UTF-8, else nil: what
    /// `String(validating:as: UTF8.self)` answers, without the generic decoding path
    /// that resolves type metadata on every call (a tenth of q-last's time over 10,000
    /// device names). Names are nearly always ASCII, which is checked a word at a time.
    init?(utf8Name bytes: UnsafeRawBufferPointer) {
        if Self.isASCII(bytes) {
            self = String(unsafeUninitializedCapacity: bytes.count) { buffer in
                if let base = bytes.baseAddress, bytes.count > 0 {
                    UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: base, byteCount: bytes.count)
                }
                return bytes.count
            }
        } else {
            guard let decoded = String(validating: bytes, as: UTF8.self) else { return nil }
            self = decoded
        }
    }

    private static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var high: UInt64 = 0
        var i = 0
        while i + 8 <= bytes.count {
            high |= bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < bytes.count {
            high |= UInt64(bytes[i])
            i += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }
}
