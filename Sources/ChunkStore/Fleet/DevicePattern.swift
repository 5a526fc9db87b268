/// A glob over device ids: `*` matches any run of bytes (including `/`), `?` exactly one
/// byte, every other byte itself. `meter-*` matches `meter-001`; `*` matches every device.
public struct DevicePattern: Sendable, Hashable, CustomStringConvertible {
    /// The glob as written.
    public let text: String
    private let bytes: [UInt8]

    /// A pattern from its text (any text is a valid glob).
    public init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    /// The glob as written.
    public var description: String { text }

    /// Whether `device` matches the whole pattern. Linear backtracking on the last `*`.
    public func matches(_ device: String) -> Bool {
        var device = device
        // Native strings are contiguous UTF-8: matched in place, without a copy per call
        // (a writer matches every rule against every new device).
        return device.withUTF8 { subject in matches(subject) }
    }

    private func matches(_ subject: UnsafeBufferPointer<UInt8>) -> Bool {
        var p = 0, s = 0
        var star = -1, mark = 0
        while s < subject.count {
            if p < bytes.count, bytes[p] == UInt8(ascii: "?") || bytes[p] == subject[s], bytes[p] != UInt8(ascii: "*") {
                p += 1; s += 1
            } else if p < bytes.count, bytes[p] == UInt8(ascii: "*") {
                star = p; mark = s; p += 1
            } else if star >= 0 {
                p = star + 1; mark += 1; s = mark
            } else {
                return false
            }
        }
        while p < bytes.count, bytes[p] == UInt8(ascii: "*") { p += 1 }
        return p == bytes.count
    }
}
