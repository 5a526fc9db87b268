#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns device ids and field names, seen as bytes in an input line, into Strings
/// without allocating for names already seen. Telemetry repeats a handful of names on
/// every line, so a lookup by hash and byte comparison replaces a String build, a UTF-8
/// validation and the rule checks on all but the first occurrence.
///
/// Memory stays bounded: past `limit` distinct names the cache is simply emptied.
struct NameInterner {
    private struct Entry {
        var bytes: [UInt8]
        var name: String
    }

    private var table: [UInt64: [Entry]] = [:]
    private var count = 0
    private let limit: Int

    init(limit: Int = 65_536) {
        self.limit = limit
    }

    /// The String for `bytes`, validated against the naming rules on first sight.
    /// `what` ("device", "field name") and `line` only shape the error.
    mutating func intern(_ bytes: UnsafeRawBufferPointer, what: @autoclosure () -> String, line: Int) throws(IngestError) -> String {
        let hash = Self.hash(bytes)
        if let bucket = table[hash] {
            for entry in bucket where entry.bytes.count == bytes.count {
                if entry.bytes.withUnsafeBytes({ Self.equal($0, bytes) }) { return entry.name }
            }
        }
        let name: String
        switch NameRules.validate(bytes) {
        case .success(let valid): name = valid
        case .failure(let problem):
            throw IngestError(line: line, reason: "\(what()) \(NameRules.quoted(bytes)) \(problem.reason)")
        }
        if count >= limit {
            table.removeAll(keepingCapacity: true)
            count = 0
        }
        table[hash, default: []].append(Entry(bytes: Array(bytes), name: name))
        count += 1
        return name
    }

    /// `intern` for a slice of a scratch array, so callers need no closure.
    mutating func intern(
        _ array: [UInt8], _ range: Range<Int>, what: @autoclosure () -> String, line: Int
    ) throws(IngestError) -> String {
        let result = array.withUnsafeBytes { buf in
            Result { () throws(IngestError) -> String in
                try intern(UnsafeRawBufferPointer(rebasing: buf[range]), what: what(), line: line)
            }
        }
        return try result.get()
    }

    /// FNV-1a: cheap, and names are short.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3
        }
        return h
    }

    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return true }
        return memcmp(pa, pb, a.count) == 0
    }
}

/// The rules the store applies to device ids and field names (1 to 255 bytes of valid
/// UTF-8, no control characters), checked at ingest so a bad name is reported with its
/// line number instead of failing a whole batch later.
enum NameRules {
    struct Problem: Error { var reason: String }

    static let maxBytes = 255

    static func validate(_ bytes: UnsafeRawBufferPointer) -> Result<String, Problem> {
        if bytes.isEmpty { return .failure(Problem(reason: "is empty")) }
        if bytes.count > maxBytes {
            return .failure(Problem(reason: "is \(bytes.count) bytes long, the limit is \(maxBytes)"))
        }
        for b in bytes where b < 0x20 || b == 0x7F {
            return .failure(Problem(reason: "contains a control character"))
        }
        guard let name = String(validating: bytes, as: UTF8.self) else {
            return .failure(Problem(reason: "is not valid UTF-8"))
        }
        for scalar in name.unicodeScalars where (0x80...0x9F).contains(scalar.value) {
            return .failure(Problem(reason: "contains a control character"))
        }
        return .success(name)
    }

    /// The name quoted for an error message, shortened and with escapes visible.
    static func quoted(_ bytes: UnsafeRawBufferPointer) -> String {
        let text = String(decoding: bytes.prefix(60), as: UTF8.self)
        return text.debugDescription + (bytes.count > 60 ? "…" : "")
    }
}
