/// The rules the store applies to device ids and field names (1 to 255 bytes of valid
/// UTF-8, no control characters), checked at ingest so a bad name is reported with its
/// line number instead of failing a whole batch later.
enum NameRules {
    struct Problem: Error { var reason: String }

    static let maxBytes = 255

    static func validate(_ bytes: UnsafeRawBufferPointer) -> Result<String, Problem> {
        if bytes.isEmpty { return .failure(Problem(reason: "is empty")) }
        if bytes.count > maxBytes {
            return .failure(Problem(reason: "is \(bytes.count) bytes long, the limit is \(maxBytes) (a ChunkStore limit on device ids and field names)"))
        }
        for b in bytes where b < 0x20 || b == 0x7F {
            return .failure(Problem(reason: "contains a control character (byte 0x\(String(b, radix: 16)); ChunkStore names allow none)"))
        }
        guard let name = String(validating: bytes, as: UTF8.self) else {
            return .failure(Problem(reason: "is not valid UTF-8"))
        }
        for scalar in name.unicodeScalars where (0x80...0x9F).contains(scalar.value) {
            return .failure(Problem(reason: "contains a control character (U+00\(String(scalar.value, radix: 16, uppercase: true)); ChunkStore names allow none)"))
        }
        return .success(name)
    }

    /// The name quoted for an error message, shortened and with escapes visible.
    static func quoted(_ bytes: UnsafeRawBufferPointer) -> String {
        let text = String(decoding: bytes.prefix(60), as: UTF8.self)
        return text.debugDescription + (bytes.count > 60 ? "…" : "")
    }
}
