/// Which rows an export covers: `from <= time < to` (either end open) of the listed
/// devices, or of every device when `devices` is empty.
public struct ExportSelection: Sendable, Hashable {
    /// First nanosecond included; nil for no lower bound.
    public var from: Int64?
    /// First nanosecond excluded; nil for no upper bound.
    public var to: Int64?
    /// Devices to export; empty for all.
    public var devices: [String]

    /// Creates a selection.
    public init(from: Int64? = nil, to: Int64? = nil, devices: [String] = []) {
        self.from = from
        self.to = to
        self.devices = devices
    }

    /// The listed devices that `store` does not hold (from the index alone, no chunk read).
    public func unknownDevices(in store: Store) throws(StoreError) -> [String] {
        guard !devices.isEmpty else { return [] }
        let known = Set(try store.deviceSchemas().map(\.device))
        return devices.filter { !known.contains($0) }
    }

    /// The inclusive time bounds, or nil when the range is empty.
    var bounds: (low: Int64, high: Int64)? { Store.bounds(from: from, to: to).map { ($0.from, $0.toInclusive) } }

    /// A stable description, part of the incremental state's fingerprint.
    var key: String {
        "from=\(from.map(String.init) ?? "-") to=\(to.map(String.init) ?? "-") devices=\(devices.sorted { $0.precedesInBytes($1) }.joined(separator: ","))"
    }
}

/// Nanosecond arithmetic on UTC days (day 0 is 1970-01-01).
enum ExportDay {
    static let nanosPerDay: Int64 = 86_400_000_000_000

    /// The day holding `ns` (floor division, so times before 1970 fall on the right day).
    static func of(_ ns: Int64) -> Int64 {
        let q = ns / nanosPerDay
        return ns % nanosPerDay < 0 ? q - 1 : q
    }

    /// Inclusive nanosecond bounds of `day`, clamped to Int64.
    static func bounds(_ day: Int64) -> (low: Int64, high: Int64) {
        let low = day.multipliedReportingOverflow(by: nanosPerDay)
        let start = low.overflow ? (day < 0 ? Int64.min : Int64.max) : low.partialValue
        let end = start.addingReportingOverflow(nanosPerDay - 1)
        return (start, end.overflow ? Int64.max : end.partialValue)
    }

    /// `YYYY-MM-DD`.
    static func name(_ day: Int64) -> String {
        let c = CivilTime.civil(fromDays: day)
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(abs(v))
            return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(c.year, 4))-\(pad(Int64(c.month), 2))-\(pad(Int64(c.day), 2))"
    }
}
