import ChunkStore

/// The options of `chunkstore query` as typed, and what they mean once checked: the one
/// place that reads them, so that the CLI and `serve`'s `GET /api/v1/query` accept the
/// same options, refuse the same ones with the same words and print the same rows.
package struct QueryRequest: Sendable {
    /// `--device` values, in the order given.
    package var devices: [String] = []
    /// `--all-devices`.
    package var allDevices = false
    /// `--from` and `--to`, as typed.
    package var from: String?
    package var to: String?
    /// `--field` values, each a comma list.
    package var fieldLists: [String] = []
    /// `--agg`, `--fn` and `--tz`, as typed.
    package var agg: String?
    package var fn: String?
    package var tz: String?

    package init() {}

    /// A request with the CLI's options as given.
    package init(devices: [String], allDevices: Bool, from: String?, to: String?, fieldLists: [String],
                 agg: String?, fn: String?, tz: String?) {
        self.devices = devices
        self.allDevices = allDevices
        self.from = from
        self.to = to
        self.fieldLists = fieldLists
        self.agg = agg
        self.fn = fn
        self.tz = tz
    }

    /// Checked options, ready to run.
    package struct Plan: Sendable {
        package var devices: [String]
        package var allDevices: Bool
        package var bounds: (from: Int64?, to: Int64?)
        package var bucket: BucketWidth?
        package var functions: [AggregateFunction]
        package var timeZone: TimeZoneRules
        package var fields: [String]
    }

    /// Checks the options, with times relative to `now`; a bad one is a usage error whose
    /// message names the CLI option.
    package func validated(now: Int64 = nowNanoseconds()) throws -> Plan {
        switch (devices.isEmpty, allDevices) {
        case (true, false): throw CLIError(.usage, "give --device ID (repeatable) or --all-devices")
        case (false, true): throw CLIError(.usage, "--device and --all-devices exclude each other")
        default: break
        }
        if devices.contains(where: \.isEmpty) { throw CLIError(.usage, "--device must not be empty") }
        let bounds = (from: try parseTime(from, "--from", now: now), to: try parseTime(to, "--to", now: now))
        if let from = bounds.from, let to = bounds.to, from > to {
            throw CLIError(.usage, "--from (\(TimeParsing.formatRFC3339(from))) is later than --to (\(TimeParsing.formatRFC3339(to)))")
        }
        var bucket: BucketWidth?
        if let agg {
            do { bucket = try TimeParsing.parseDuration(agg) } catch { throw CLIError(.usage, "--agg: \(error)") }
        }
        var functions: [AggregateFunction] = [.mean]
        if let fn {
            guard agg != nil else { throw CLIError(.usage, "--fn needs --agg") }
            functions = []
            for name in fn.split(separator: ",", omittingEmptySubsequences: false) {
                let trimmed = name.trimmingCharacters(in: " ")
                guard let function = AggregateFunction(rawValue: trimmed) else {
                    throw CLIError(.usage, "--fn: unknown function \"\(trimmed)\" (use count, sum, min, max, mean, first, last)")
                }
                if !functions.contains(function) { functions.append(function) }
            }
        }
        var timeZone = TimeZoneRules.utc
        if let tz {
            guard agg != nil else { throw CLIError(.usage, "--tz needs --agg") }
            do { timeZone = try TimeZoneRules(named: tz) } catch { throw CLIError(.usage, "--tz: \(error)") }
        }
        var seen = Set<String>()
        let fields = fieldLists.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .map { $0.trimmingCharacters(in: " ") }
            .filter { seen.insert($0).inserted }
        if fields.contains(where: \.isEmpty) { throw CLIError(.usage, "--field must not be empty") }
        return Plan(devices: devices, allDevices: allDevices, bounds: bounds, bucket: bucket, functions: functions,
                    timeZone: timeZone, fields: fields)
    }
}

extension QueryRequest.Plan {
    /// Reads the rows from `store` and writes them to `out` in `format`. `storePath` is the
    /// store as the user named it, for the "no device" message.
    package func run(store: Store, storePath: String, format: OutputFormat, epoch: EpochUnit?,
                     out: any TextSink = StandardStream.output) throws {
        // Named devices are looked up alone; every device is listed only for --all-devices,
        // or to suggest a name when one is not in the store.
        var all = allDevices ? try store.deviceSchemas() : try store.deviceSchemas(named: devices)
        if !allDevices, all.count < Set(devices).count { all = try store.deviceSchemas() }
        let selected = try DeviceSelection.resolve(devices, in: all, store: storePath)
        try DeviceSelection.checkFields(fields, of: selected)
        if let bucket {
            try runDownsample(store: store, devices: selected, bucket: bucket, writer: { columns in
                RowWriter(format: format, columns: columns, epoch: epoch, out: out)
            })
        } else {
            try runRange(store: store, devices: selected,
                         writer: RowWriter(format: format, columns: ["device", "time"] + fieldNames(of: selected), epoch: epoch, out: out))
        }
    }

    /// The requested fields, else every field of the devices, sorted by name bytes.
    private func fieldNames(of devices: [DeviceInfo]) -> [String] {
        if !fields.isEmpty { return fields }
        let names = Set(devices.flatMap { $0.fields.map(\.name) })
        return names.sorted { $0.precedesInBytes($1) }
    }

    private func runRange(store: Store, devices: [DeviceInfo], writer: RowWriter) throws {
        let names = Array(writer.columns.dropFirst(2))
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

    private func runDownsample(store: Store, devices: [DeviceInfo], bucket: BucketWidth,
                               writer makeWriter: ([String]) -> RowWriter) throws {
        let names = fieldNames(of: devices)
        var columns = ["device", "time"]
        for name in names { for function in functions { columns.append("\(name)_\(function.rawValue)") } }
        let writer = makeWriter(columns)
        if !names.isEmpty {
            // One query per selected device keeps the output grouped in the order asked for.
            for device in allDevices ? [nil] : devices.map({ Optional($0.device) }) {
                let query = DownsampleQuery(device: device, from: bounds.from, to: bounds.to, fields: names,
                                            bucket: bucket, functions: functions, timeZone: timeZone)
                var cells: [Cell] = []
                cells.reserveCapacity(columns.count)
                for row in try store.downsample(query) {
                    cells.removeAll(keepingCapacity: true)
                    cells.append(.text(row.device))
                    cells.append(.time(row.bucketStart))
                    for value in row.values { cells.append(.value(value)) }
                    writer.row(cells)
                }
            }
        }
        try writer.finish()
    }
}

extension Substring {
    /// The text without `character` at either end.
    package func trimmingCharacters(in character: Character) -> String {
        var slice = self
        while slice.first == character { slice.removeFirst() }
        while slice.last == character { slice.removeLast() }
        return String(slice)
    }
}
