import ArgumentParser
import ChunkStore

struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Print the readings of one device or of all devices, raw or downsampled.",
        discussion: """
            T (for --from, inclusive, and --to, exclusive) is one of:
              2026-01-01T06:30:00Z   an RFC 3339 time (offsets, fractional seconds allowed)
              2026-01-01             a bare date: UTC midnight
              1767225600s            an epoch with its unit: s, ms, us or ns
              now, now-15m, now-7d, now-1w, now-1mo, now+1h
              -1h, -2d, +30m         the same relative to now, without "now"
            --from later than --to is a usage error (64).

            Devices: --device ID (repeatable; output grouped in the order given) or
            --all-devices. Fields: --field F (repeatable, or a comma list F1,F2).
            A device or field the store does not hold exits 66 with a "did you mean"
            suggestion when a close name exists.

            DURATION for --agg: 500ms, 10s, 5m, 1h, 1d, 1w, 1mo (calendar months). Buckets
            start at multiples of the width since the Unix epoch (days at UTC midnight,
            weeks on Monday, months on the 1st). With --tz ZONE (a tz database name such as
            Europe/Paris), day, week and month buckets follow that zone's calendar instead:
            they start at local midnight, and a day lasts 23 or 25 hours when clocks
            change; shorter widths are not affected. --fn takes a comma list of count, sum, min, max, mean,
            first, last (default mean); each field gets one column per function, named
            FIELD_FN (e.g. power_w_mean).

            Output columns: device, time, then one per field. Timestamps are RFC 3339 with
            nanoseconds in UTC unless --epoch is given. CSV output can be fed back to
            'chunkstore ingest --format csv'.

            EXAMPLES
              chunkstore query --device meter-001
              chunkstore query --device meter-001 --from -1h --field power_w,voltage_v
              chunkstore query --device meter-001 --device meter-002 --from 2026-01-01 --to 2026-01-02
              chunkstore query --device meter-001 --from 2026-01-01T00:00:00Z \\
                  --to 2026-01-02T00:00:00Z --agg 1h --fn mean,min,max --field power_w
              chunkstore query --all-devices --agg 1d --fn max --field energy_kwh \\
                  --output json
              chunkstore query --all-devices --from now-15m --epoch ms --output jsonl

            \(Sysexit.table)
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("device"), help: ArgumentHelp("A device to read (repeatable).", valueName: "id"))
    var devices: [String] = []

    @Flag(name: .customLong("all-devices"), help: "Read every device.")
    var allDevices = false

    // .unconditional: `--from -1h` takes "-1h" as the value, not as an unknown option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Start time, inclusive.", valueName: "T"))
    var from: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("End time, exclusive.", valueName: "T"))
    var to: String?

    @Option(name: .customLong("field"),
            help: ArgumentHelp("Fields to print, a comma list (repeatable; default: all).", valueName: "F[,F...]"))
    var fieldLists: [String] = []

    @Option(help: ArgumentHelp("Downsample into buckets of this width.", valueName: "DURATION"))
    var agg: String?

    @Option(help: ArgumentHelp("Aggregates per bucket: count,sum,min,max,mean,first,last.", valueName: "LIST"))
    var fn: String?

    @Option(help: ArgumentHelp("Time zone of day, week and month buckets (default UTC).", valueName: "ZONE"))
    var tz: String?

    @OptionGroup var output: OutputOptions

    /// Parsed once in `validate()`.
    private var bounds: (from: Int64?, to: Int64?) = (nil, nil)
    private var bucket: BucketWidth?
    private var functions: [AggregateFunction] = [.mean]
    private var timeZone = TimeZoneRules.utc
    private var fields: [String] = []

    private enum CodingKeys: String, CodingKey {
        case database, devices, allDevices, from, to, fieldLists, agg, fn, tz, output
    }

    mutating func validate() throws {
        switch (devices.isEmpty, allDevices) {
        case (true, false): throw ValidationError("give --device ID (repeatable) or --all-devices")
        case (false, true): throw ValidationError("--device and --all-devices exclude each other")
        default: break
        }
        if devices.contains(where: \.isEmpty) { throw ValidationError("--device must not be empty") }
        let now = nowNanoseconds()
        bounds = (try parseTime(from, "--from", now: now), try parseTime(to, "--to", now: now))
        if let from = bounds.from, let to = bounds.to, from > to {
            throw ValidationError("--from (\(TimeParsing.formatRFC3339(from))) is later than --to (\(TimeParsing.formatRFC3339(to)))")
        }
        if let agg {
            do { bucket = try TimeParsing.parseDuration(agg) } catch { throw ValidationError("--agg: \(error)") }
        }
        if let fn {
            guard agg != nil else { throw ValidationError("--fn needs --agg") }
            functions = []
            for name in fn.split(separator: ",", omittingEmptySubsequences: false) {
                let trimmed = name.trimmingCharacters(in: " ")
                guard let function = AggregateFunction(rawValue: trimmed) else {
                    throw ValidationError("--fn: unknown function \"\(trimmed)\" (use count, sum, min, max, mean, first, last)")
                }
                if !functions.contains(function) { functions.append(function) }
            }
        }
        if let tz {
            guard agg != nil else { throw ValidationError("--tz needs --agg") }
            do { timeZone = try TimeZoneRules(named: tz) } catch { throw ValidationError("--tz: \(error)") }
        }
        var seen = Set<String>()
        fields = fieldLists.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .map { $0.trimmingCharacters(in: " ") }
            .filter { seen.insert($0).inserted }
        if fields.contains(where: \.isEmpty) { throw ValidationError("--field must not be empty") }
    }

    func run() throws {
        let store = try database.openReader()
        defer { try? store.close() }
        let all = try store.devices()
        let selected = try DeviceSelection.resolve(devices, in: all, store: database.path)
        try DeviceSelection.checkFields(fields, of: selected)
        if let bucket {
            try runDownsample(store: store, devices: selected, bucket: bucket)
        } else {
            try runRange(store: store, devices: selected)
        }
    }

    /// The requested fields, else every field of the devices, sorted by name bytes.
    private func fieldNames(of devices: [DeviceInfo]) -> [String] {
        if !fields.isEmpty {
            var seen = Set<String>()
            return fields.filter { seen.insert($0).inserted }
        }
        let names = Set(devices.flatMap { $0.fields.map(\.name) })
        return names.sorted { $0.precedesInBytes($1) }
    }

    private func runRange(store: Store, devices: [DeviceInfo]) throws {
        let names = fieldNames(of: devices)
        let writer = RowWriter(format: output.format, columns: ["device", "time"] + names, epoch: output.epoch)
        for info in devices {
            let result = try store.range(device: info.device, from: bounds.from, to: bounds.to, fields: names)
            var cells = [Cell](repeating: .value(nil), count: names.count + 2)
            cells[0] = .text(info.device)
            for r in 0..<result.count {
                cells[1] = .time(result.timestamps[r])
                for f in names.indices { cells[f + 2] = .value(result.values[f][r]) }
                writer.row(cells)
            }
        }
        try writer.finish()
    }

    private func runDownsample(store: Store, devices: [DeviceInfo], bucket: BucketWidth) throws {
        let names = fieldNames(of: devices)
        var columns = ["device", "time"]
        for name in names { for function in functions { columns.append("\(name)_\(function.rawValue)") } }
        let writer = RowWriter(format: output.format, columns: columns, epoch: output.epoch)
        if !names.isEmpty {
            // One query per selected device keeps the output grouped in the order asked for.
            for device in allDevices ? [nil] : devices.map({ Optional($0.device) }) {
                let query = DownsampleQuery(device: device, from: bounds.from, to: bounds.to, fields: names,
                                            bucket: bucket, functions: functions, timeZone: timeZone)
                for row in try store.downsample(query) {
                    writer.row([.text(row.device), .time(row.bucketStart)] + row.values.map { .value($0) })
                }
            }
        }
        try writer.finish()
    }
}

extension Substring {
    func trimmingCharacters(in character: Character) -> String {
        var slice = self
        while slice.first == character { slice.removeFirst() }
        while slice.last == character { slice.removeLast() }
        return String(slice)
    }
}
