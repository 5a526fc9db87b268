/// The incremental export's memory, kept in `DIR/_chunkstore_export_state` (SPEC §11):
/// what was selected and, per day written, the fingerprint of the chunks it came from.
struct ExportState: Equatable {
    static let fileName = "_chunkstore_export_state"
    static let header = "chunkstore-export-state 1"

    /// Fingerprint of the selection, schema and file layout; when it changes every day is rewritten.
    var selection: UInt64
    /// Day number to the fingerprint of its chunks and the rows they held.
    var days: [Int64: DayEntry]

    /// What was written for one day.
    struct DayEntry: Equatable {
        var fingerprint: UInt64
        var rows: Int
    }

    /// The file's text: a header line, `selection HEX16`, one `day YYYY-MM-DD HEX16 ROWS`
    /// line per day in ascending order, and `crc32c HEX8` over all bytes before that line.
    func encoded() -> [UInt8] {
        var text = Self.header + "\n" + "selection \(Self.hex(selection, 16))\n"
        for day in days.keys.sorted() {
            let entry = days[day] ?? DayEntry(fingerprint: 0, rows: 0)
            text += "day \(ExportDay.name(day)) \(Self.hex(entry.fingerprint, 16)) \(entry.rows)\n"
        }
        var bytes = Array(text.utf8)
        bytes += Array("crc32c \(Self.hex(UInt64(CRC32C.checksum(bytes)), 8))\n".utf8)
        return bytes
    }

    /// Parses a state file; nil when it is not one (missing, torn or damaged), which makes
    /// the next export rewrite every day, the safe answer.
    static func decode(_ bytes: [UInt8]) -> ExportState? {
        guard let crcStart = bytes.dropLast().lastIndex(of: UInt8(ascii: "\n")).map({ $0 + 1 }) else { return nil }
        let body = Array(bytes[..<crcStart])
        guard let last = String(validating: bytes[crcStart...], as: UTF8.self),
              last == "crc32c \(hex(UInt64(CRC32C.checksum(body)), 8))\n",
              let text = String(validating: body, as: UTF8.self) else { return nil }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.last == "" else { return nil }
        lines.removeLast()
        guard lines.count >= 2, lines[0] == header else { return nil }
        let sel = lines[1].split(separator: " ")
        guard sel.count == 2, sel[0] == "selection", let selection = UInt64(sel[1], radix: 16) else { return nil }
        var days: [Int64: DayEntry] = [:]
        for line in lines.dropFirst(2) {
            let parts = line.split(separator: " ")
            guard parts.count == 4, parts[0] == "day", let day = parseDay(String(parts[1])),
                  let fingerprint = UInt64(parts[2], radix: 16), let rows = Int(parts[3]) else { return nil }
            days[day] = DayEntry(fingerprint: fingerprint, rows: rows)
        }
        return ExportState(selection: selection, days: days)
    }

    /// Parses `YYYY-MM-DD` back into a day number.
    static func parseDay(_ s: String) -> Int64? {
        let p = s.split(separator: "-")
        guard p.count == 3, let y = Int64(p[0]), let m = Int(p[1]), let d = Int(p[2]), (1...12).contains(m), (1...31).contains(d) else { return nil }
        let day = CivilTime.days(fromCivil: y, month: m, day: d)
        return ExportDay.name(day) == s ? day : nil
    }

    static func hex(_ v: UInt64, _ width: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
