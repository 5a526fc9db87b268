/// Where each of a store's files lives, relative to the store directory:
/// `MANIFEST`, `LOCK`, `index-<16 hex>.csi`, `data/<YYYY-MM-DD>.<16 hex>.csd` (and the
/// unnumbered `data/<YYYY-MM-DD>.csd` of format version 1), `wal/<16 hex>.wal`,
/// and when rules are set `rules.json` (the rules file) and `rules.state` (SPEC §12).
struct StoreLayout: Sendable {
    let root: String

    static let manifestName = "MANIFEST"
    static let lockName = "LOCK"
    static let dataDirectoryName = "data"
    static let walDirectoryName = "wal"
    /// Where a repair moves damaged data files.
    static let damagedDirectoryName = "damaged"

    var manifest: String { root + "/" + StoreLayout.manifestName }
    /// Where a new manifest is written before it is renamed over the old one.
    var manifestTemporary: String { manifest + ".tmp" }
    var lock: String { root + "/" + StoreLayout.lockName }
    var dataDirectory: String { root + "/" + StoreLayout.dataDirectoryName }
    var walDirectory: String { root + "/" + StoreLayout.walDirectoryName }
    var damagedDirectory: String { root + "/" + StoreLayout.damagedDirectoryName }
    /// The rules file (JSON, see ``RuleSet``); optional.
    var rules: String { root + "/" + RuleSet.fileName }
    /// The rules engine's persisted state (SPEC §12); optional.
    var rulesState: String { root + "/" + RuleStateFile.fileName }

    func indexSegment(_ number: UInt64) -> String { root + "/" + StoreLayout.indexSegmentName(number) }

    func walSegment(_ number: UInt64) -> String { walDirectory + "/" + StoreLayout.walSegmentName(number) }

    static func indexSegmentName(_ number: UInt64) -> String { "index-" + hex16(number) + ".csi" }

    /// The number in an index segment's name; nil for other names.
    static func indexSegmentNumber(fromName name: String) -> UInt64? {
        guard name.hasPrefix("index-"), name.hasSuffix(".csi"), name.utf8.count == 26 else { return nil }
        return UInt64(name.dropFirst(6).prefix(16), radix: 16)
    }

    static func walSegmentName(_ number: UInt64) -> String { hex16(number) + ".wal" }

    /// The number in a WAL segment's name; nil for other names.
    static func walSegmentNumber(fromName name: String) -> UInt64? {
        guard name.hasSuffix(".wal"), name.utf8.count == 20 else { return nil }
        return UInt64(name.prefix(16), radix: 16)
    }

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
