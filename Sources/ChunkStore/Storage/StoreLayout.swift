/// Where each of a store's files lives, relative to the store directory:
/// `MANIFEST`, `LOCK`, `index-<16 hex>.csi`, `data/<YYYY-MM-DD>.<16 hex>.csd` (and the
/// unnumbered `data/<YYYY-MM-DD>.csd` of format version 1), `wal/<16 hex>.wal`,
/// and when rules are set `rules.json` (the rules file) and `rules.state` (SPEC §12).
struct StoreLayout: Sendable {
    let root: String

    var manifest: String { root + "/" + Manifest.fileName }
    var lock: String { root + "/LOCK" }
    var dataDirectory: String { root + "/data" }
    var walDirectory: String { root + "/wal" }
    /// The rules file (JSON, see ``RuleSet``); optional.
    var rules: String { root + "/rules.json" }
    /// The rules engine's persisted state (SPEC §12); optional.
    var rulesState: String { root + "/rules.state" }

    func indexSegment(_ number: UInt64) -> String { IndexSegment.path(store: root, number: number) }

    /// The path of a day's data file: numbered, or (number 0) as format version 1 named it.
    func dataFile(day: Int32, number: UInt64) -> String {
        dataDirectory + "/" + StoreLayout.dataFileName(day: day, number: number)
    }

    func dataFile(_ file: Manifest.DataFileState) -> String {
        dataFile(day: file.day, number: file.number)
    }

    static func dataFileName(day: Int32, number: UInt64) -> String {
        dayName(day) + (number == 0 ? "" : "." + hex16(number)) + ".csd"
    }

    /// The number in a data file's name (0 when unnumbered); nil for names that are not a
    /// data file's.
    static func dataFileNumber(fromName name: String) -> UInt64? {
        guard name.hasSuffix(".csd") else { return nil }
        let stem = name.dropLast(4)
        guard let dot = stem.firstIndex(of: ".") else { return 0 }
        let digits = stem[stem.index(after: dot)...]
        guard digits.count == 16 else { return nil }
        return UInt64(digits, radix: 16)
    }

    /// The directory holding `path`'s entry: "." for a bare name, "/" for a top-level path.
    static func parentDirectory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// `YYYY-MM-DD` of a UTC day number (days since 1970-01-01).
    static func dayName(_ day: Int32) -> String {
        let (y, m, d) = CivilTime.civil(fromDays: Int64(day))
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(abs(v))
            return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return pad(y, 4) + "-" + pad(Int64(m), 2) + "-" + pad(Int64(d), 2)
    }
}
