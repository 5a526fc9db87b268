/// Quoting for the text formats the CLI prints and `export` writes, in one place so both
/// read back the same way.
package enum TextEscaping {
    /// RFC 4180: a cell holding a separator, quote, line break or edge space is quoted,
    /// with its quotes doubled.
    package static func csv(_ s: String) -> String {
        let needsQuotes = s.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
            || s.first == " " || s.last == " "
        guard needsQuotes else { return s }
        var out = "\""
        for c in s {
            if c == "\"" { out += "\"\"" } else { out.append(c) }
        }
        return out + "\""
    }

    /// A JSON string literal with the escapes RFC 8259 requires.
    package static func json(_ s: String) -> String {
        // Most names and values need no escape: one scan of the bytes, then one copy
        // (the loop below appends scalar by scalar, which a query's answer felt per row).
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + s + "\""
        }
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
