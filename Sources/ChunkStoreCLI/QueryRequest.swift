import ArgumentParser
import ChunkStore

/// `--from` and `--to`, shared by the commands that read a time range.
///
/// Both take their value unconditionally, so `--from -1h` works although `-1h`
/// looks like an option to ArgumentParser.
struct TimeRangeOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Start time, inclusive.", valueName: "T"))
    var from: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("End time, exclusive.", valueName: "T"))
    var to: String?
}

/// `--device` (repeatable) and `--field` (repeatable, comma lists), shared by `query` and `last`.
struct SelectionOptions: ParsableArguments {
    @Option(name: .customLong("device"), help: ArgumentHelp("A device to read (repeatable).", valueName: "id"))
    var devices: [String] = []

    @Option(name: .customLong("field"), help: ArgumentHelp(
        "Fields to print: a comma list, repeatable (default: all).", valueName: "F[,F...]"))
    var fields: [String] = []
}

/// What a read command asked for, parsed and checked once: the devices (nil for
/// every device), the fields (empty for every field) and the time bounds in ns.
struct QueryRequest {
    var devices: [String]?
    var fields: [String]
    var from: Int64?
    var to: Int64?

    init(devices: [String]?, fields: [String], from: Int64?, to: Int64?) {
        self.devices = devices
        self.fields = fields
        self.from = from
        self.to = to
    }

    /// Parses the options; every problem is a `ValidationError` (exit 64).
    init(selection: SelectionOptions, allDevices: Bool = false, range: TimeRangeOptions? = nil,
         now: Int64) throws(ValidationError) {
        if allDevices && !selection.devices.isEmpty {
            throw ValidationError("--device and --all-devices exclude each other")
        }
        if selection.devices.contains(where: \.isEmpty) { throw ValidationError("--device must not be empty") }
        devices = selection.devices.isEmpty ? nil : Self.unique(selection.devices)
        var fields: [String] = []
        for argument in selection.fields {
            for name in argument.split(separator: ",", omittingEmptySubsequences: false) {
                let trimmed = String(name.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
                guard !trimmed.isEmpty else { throw ValidationError("--field: empty field name in \"\(argument)\"") }
                fields.append(trimmed)
            }
        }
        self.fields = Self.unique(fields)
        from = try range?.from.map { s throws(ValidationError) in try Self.time(s, option: "--from", now: now) }
        to = try range?.to.map { s throws(ValidationError) in try Self.time(s, option: "--to", now: now) }
        if let from, let to, from > to {
            throw ValidationError("--from \(range?.from ?? "") (\(TimeParsing.formatRFC3339(from))) is later than "
                + "--to \(range?.to ?? "") (\(TimeParsing.formatRFC3339(to))): the range is empty")
        }
    }

    /// A time argument: everything `TimeParsing.parseTimeArgument` accepts, plus
    /// `-DURATION` / `+DURATION` as short for `now-DURATION` / `now+DURATION`.
    static func time(_ text: String, option: String, now: Int64) throws(ValidationError) -> Int64 {
        let trimmed = text.trimmingSpaces()
        var argument = trimmed
        if let sign = trimmed.first, sign == "-" || sign == "+",
           (try? TimeParsing.parseDuration(String(trimmed.dropFirst()))) != nil {
            argument = "now" + trimmed
        }
        do {
            return try TimeParsing.parseTimeArgument(argument, now: now)
        } catch {
            if !trimmed.isEmpty, trimmed.allSatisfy({ $0.isLetter }) {
                let hint = switch trimmed.lowercased() {
                case "tomorrow": "now+1d"
                case "today", "midnight": "a date such as \(TimeParsing.formatRFC3339(now).prefix(10))"
                default: "now-1d"
                }
                throw ValidationError("\(option): \"\(trimmed)\" is not a time; did you mean \(hint)? "
                    + "(times are now, now-1h, -1h, 2026-01-01, an RFC 3339 time or an epoch such as 1767225600s)")
            }
            throw ValidationError("\(option): \(error)")
        }
    }

    /// The stored devices this request reads, with the fields it asked for checked:
    /// a device or field that no selected device has is an error (exit 66), with a
    /// "did you mean" suggestion when a stored name is close.
    func select(from stored: [DeviceInfo]) throws(CLIError) -> [DeviceInfo] {
        var selected = stored
        if let devices {
            let byName = Dictionary(stored.map { ($0.device, $0) }, uniquingKeysWith: { a, _ in a })
            selected = []
            for device in devices {
                guard let info = byName[device] else {
                    throw CLIError(.noInput, "no device \"\(device)\" in the store"
                        + NameSuggestion.hint(for: device, among: stored.map(\.device)))
                }
                selected.append(info)
            }
        }
        let known = Set(selected.flatMap { $0.fields.map(\.name) })
        for field in fields where !known.contains(field) {
            let scope = devices.map { $0.count == 1 ? "device \"\($0[0])\"" : "the selected devices" } ?? "the store"
            throw CLIError(.noInput, "no field \"\(field)\" in \(scope)"
                + NameSuggestion.hint(for: field, among: known.sorted()))
        }
        return selected
    }

    /// The requested fields, else every field of `devices`, sorted by name bytes.
    func fieldNames(of devices: [DeviceInfo]) -> [String] {
        if !fields.isEmpty { return fields }
        return Set(devices.flatMap { $0.fields.map(\.name) }).sorted { $0.precedesInBytes($1) }
    }

    private static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
