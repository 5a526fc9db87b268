/// Checks the credentials a request carries against the server's token, in time that does
/// not depend on where the bytes first differ.
///
/// Accepted, as InfluxDB's clients send them: `Authorization: Token T` (v2 clients,
/// Telegraf), `Authorization: Bearer T`, `Authorization: Basic base64(user:T)` (the v1
/// Python client) and v1's query parameters `u=user&p=T`. The user name is not checked.
struct TokenCheck: Sendable {
    let token: [UInt8]

    init(token: String) {
        self.token = Array(token.utf8)
    }

    /// Whether the `Authorization` header or the `p` query parameter carries the token.
    func accepts(authorization: String?, password: String?) -> Bool {
        var presented: [[UInt8]] = []
        if let authorization {
            let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2 {
                let scheme = parts[0].lowercased()
                let value = parts[1].trimmingSpaces()
                switch scheme {
                case "token", "bearer":
                    presented.append(Array(value.utf8))
                case "basic":
                    if let decoded = Base64.decode(value), let colon = decoded.firstIndex(of: UInt8(ascii: ":")) {
                        presented.append(Array(decoded[(colon + 1)...]))
                    }
                default:
                    break
                }
            }
        }
        if let password { presented.append(Array(password.utf8)) }
        var accepted = false
        for candidate in presented where Self.constantTimeEqual(candidate, token) { accepted = true }
        return accepted
    }

    /// Compares every byte of the longer input, whatever the contents.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count) | (a.count == b.count ? 0 : 1)
        let n = max(a.count, b.count)
        for i in 0..<n {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}

extension Substring {
    /// The text without spaces at either end.
    func trimmingSpaces() -> String {
        var slice = self
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}

/// Standard base64 (RFC 4648), for Basic credentials.
enum Base64 {
    /// The decoded bytes, or nil when `text` is not base64.
    static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in text.utf8 {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="): continue
            default: return nil
            }
            accumulator = (accumulator << 6 | UInt32(value)) & 0xFFFF
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }
}
