/// Exports rows as text that `chunkstore ingest` reads back: line protocol, CSV or JSON
/// lines, sorted by device then time, timestamps as integer nanoseconds (ingest them
/// with `--precision ns`). Streams window by window, so memory stays bounded.
///
/// - `lp`: `chunkstore,device=ID field=1.5,count=3i,on=true 1767225600000000000`; ints keep
///   their `i` suffix and floats print the shortest text that parses back to the same bits,
///   so a re-ingest stores identical values and types. NaN and infinities have no line
///   protocol form: the export stops with an error naming device, field and time.
/// - `csv`: `device,time,FIELD...` with every field of the selection; an empty cell is a
///   missing value; values printed as in `jsonl`, which ingest's typed CSV reads back.
/// - `jsonl`: `{"device":"ID","ts":NS,"fields":{...}}`; floats always carry a fraction or an
///   exponent and integers never do, so types survive. NaN and infinities stop the export.
/// - uint fields are written as `123u` in line protocol; JSON lines and CSV refuse them.
public struct TextExport: Sendable {
    /// The text formats.
    public enum Format: String, Sendable, CaseIterable {
        /// InfluxDB line protocol; `csv` RFC 4180; `jsonl` one JSON object per line.
        case lp, csv, jsonl
    }

    /// The text format.
    public var format: Format
    /// Which rows to export.
    public var selection: ExportSelection

    /// Creates a text export.
    public init(format: Format, selection: ExportSelection = ExportSelection()) {
        self.format = format
        self.selection = selection
    }

    /// Writes the selection through `write`, in pieces of up to about 64 KiB; returns the row count.
    public func run(store: Store, write: (String) throws -> Void) throws -> Int {
        let plan = try ExportPlan.make(store: store, selection: selection, windowRows: 1 << 18)
        let schema = try format == .csv ? ExportSchema.of(plan.devices) : ExportSchema(fields: [])
        var windows = plan.days.flatMap(\.windows)
        windows.sort { $0.device == $1.device ? $0.from < $1.from : $0.device.precedesInBytes($1.device) }
        var out = ""
        out.reserveCapacity(1 << 17)
        if format == .csv {
            out += (["device", "time"] + schema.fields.map(\.name)).map(TextEscaping.csv).joined(separator: ",") + "\n"
        }
        var rows = 0
        for window in windows {
            let result = try store.withContext {
                try $0.range(device: window.device, from: window.from, toInclusive: window.toInclusive, fields: nil)
            }
            let prefix = try linePrefix(device: result.device)
            let columns = format == .csv
                ? schema.fields.map { f in result.fieldNames.firstIndex(of: f.name) }
                : Array(result.fieldNames.indices.map { Optional($0) })
            for r in 0..<result.count {
                try appendRow(result, row: r, prefix: prefix, columns: columns, to: &out)
                rows += 1
                if out.utf8.count >= 1 << 16 {
                    try write(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
        }
        if !out.isEmpty { try write(out) }
        return rows
    }

    private func linePrefix(device: String) throws -> String {
        switch format {
        case .lp:
            guard device.last != "\\" else {
                throw StoreError.invalidDevice(device: device, reason: "an id ending in a backslash has no line-protocol form")
            }
            return "chunkstore,device=" + Self.lpEscaped(device) + " "
        case .csv: return TextEscaping.csv(device) + ","
        case .jsonl: return "{\"device\":" + TextEscaping.json(device) + ",\"ts\":"
        }
    }

    private func appendRow(_ result: RangeResult, row r: Int, prefix: String, columns: [Int?], to out: inout String) throws {
        let time = result.timestamps[r]
        switch format {
        case .lp:
            var first = true
            out += prefix
            for case let f? in columns {
                guard let value = result.values[f][r] else { continue }
                let name = result.fieldNames[f]
                guard name.last != "\\" else {
                    throw StoreError.invalidField(device: result.device, field: name, reason: "a name ending in a backslash has no line-protocol form")
                }
                out += (first ? "" : ",") + Self.lpEscaped(name) + "=" + (try Self.typedText(value, result.device, name, time, intSuffix: "i"))
                first = false
            }
            out += " \(time)\n"
        case .csv:
            out += prefix + "\(time)"
            for column in columns {
                out += ","
                guard let f = column, let value = result.values[f][r] else { continue }
                if case .uint = value { throw Self.uintRefused(result.device, result.fieldNames[f], time) }
                out += value.description
            }
            out += "\n"
        case .jsonl:
            out += prefix + "\(time),\"fields\":{"
            var first = true
            for case let f? in columns {
                guard let value = result.values[f][r] else { continue }
                let name = result.fieldNames[f]
                out += (first ? "" : ",") + TextEscaping.json(name) + ":" + (try Self.typedText(value, result.device, name, time, intSuffix: ""))
                first = false
            }
            out += "}}\n"
        }
    }

    /// A value's typed text: floats always with a fraction or exponent (Swift's shortest
    /// round-tripping form), integers with `intSuffix`. Non-finite floats are refused.
    static func typedText(_ value: FieldValue, _ device: String, _ field: String, _ time: Int64, intSuffix: String) throws -> String {
        switch value {
        case .float(let v):
            guard v.isFinite else {
                throw StoreError.invalidField(device: device, field: field,
                                              reason: "value \(v) at time \(time) ns has no text form that ingest reads back")
            }
            return v.description
        case .int(let v): return "\(v)" + intSuffix
        case .uint(let v):
            guard !intSuffix.isEmpty else { throw uintRefused(device, field, time) }
            return "\(v)u"
        case .bool(let v): return v ? "true" : "false"
        }
    }

    /// JSON lines and CSV have no unsigned type: ingest would read a uint back as int, or
    /// refuse it above 2^63-1. Only line protocol (`123u`) keeps it.
    static func uintRefused(_ device: String, _ field: String, _ time: Int64) -> StoreError {
        StoreError.invalidField(device: device, field: field,
                                reason: "uint value at time \(time) ns has no \("jsonl/csv") form that ingest reads back as uint; use --format lp")
    }

    /// Backslash before comma, equals and space (line protocol's escapes for tag values and field keys).
    static func lpEscaped(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "=" || $0 == " " }) else { return s }
        var out = ""
        for c in s {
            if c == "," || c == "=" || c == " " { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
