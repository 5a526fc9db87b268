import ArgumentParser
import ChunkStore

struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the readings of one device or of all devices, raw or downsampled.",
        discussion: """
            T (for --from, inclusive, and --to, exclusive) is one of:
              2026-01-01T00:00:00Z  RFC 3339 (offsets and fractional seconds allowed)
              2026-01-01            a bare date: UTC midnight
              1767225600s           an epoch with its unit: s, ms, us or ns
              now, now-15m, now+1h  relative to now, any DURATION (now-1w, now-1mo)
              -1h, -30m             short for now-1h, now-30m ('--from -1h' works)
            --from later than --to is a usage error.

            --device is repeatable; --field takes comma lists and is repeatable. A
            device or field that is not in the store exits 66, with a "did you mean"
            suggestion when a stored name is close.

            DURATION for --agg: 500ms, 10s, 5m, 1h, 1d, 1w, 1mo (calendar months). Buckets
            start at multiples of the width since the Unix epoch (days at UTC midnight,
            months on the 1st). --fn takes a comma list of count, sum, min, max, mean,
            first, last (default mean); each field gets one column per function, named
            FIELD_FN (e.g. power_w_mean).

            Output columns: device, time, then one per field. Timestamps are RFC 3339 with
            nanoseconds in UTC unless --epoch is given. CSV output can be fed back to
            'chunkstore ingest --format csv'.

            EXAMPLES
              chunkstore query --device meter-001
              chunkstore query --device meter-001 --from -1h --field power_w,voltage_v
              chunkstore query --device meter-001 --device meter-002 --from 2026-01-01
              chunkstore query --device meter-001 --from 2026-01-01T00:00:00Z \\
                  --to 2026-01-02T00:00:00Z --agg 1h --fn mean,min,max --field power_w
              chunkstore query --all-devices --agg 1d --fn max --field energy_kwh \\
                  --output json
              chunkstore query --all-devices --from now-15m --epoch ms --output jsonl

            \(Sysexit.table)
            """
    )

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var selection: SelectionOptions

    @Flag(name: .customLong("all-devices"), help: "Read every device.")
    var allDevices = false

    @OptionGroup var range: TimeRangeOptions

    @Option(help: ArgumentHelp("Downsample into buckets of this width.", valueName: "DURATION"))
    var agg: String?

    @Option(help: ArgumentHelp("Aggregates per bucket: count,sum,min,max,mean,first,last.", valueName: "LIST"))
    var fn: String?

    @OptionGroup var output: OutputOptions

    /// Parsed once in `validate()`.
    private var request = QueryRequest(devices: nil, fields: [], from: nil, to: nil)
    private var bucket: BucketWidth?
    private var functions: [AggregateFunction] = [.mean]

    private enum CodingKeys: String, CodingKey {
        case database, selection, allDevices, range, agg, fn, output
    }

    mutating func validate() throws {
        if selection.devices.isEmpty && !allDevices { throw ValidationError("give --device ID or --all-devices") }
        request = try QueryRequest(selection: selection, allDevices: allDevices, range: range, now: nowNanoseconds())
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
    }

    func run() throws {
        let store = try database.openReader()
        defer { try? store.close() }
        let devices = try request.select(from: store.devices())
        if let bucket {
            try runDownsample(store: store, devices: devices, bucket: bucket)
        } else {
            try runRange(store: store, devices: devices)
        }
    }

    private func runRange(store: Store, devices: [DeviceInfo]) throws {
        let names = request.fieldNames(of: devices)
        let writer = RowWriter(format: output.format, columns: ["device", "time"] + names, epoch: output.epoch)
        for info in devices {
            let result = try store.range(device: info.device, from: request.from, to: request.to, fields: names)
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
        let names = request.fieldNames(of: devices)
        var columns = ["device", "time"]
        for name in names { for function in functions { columns.append("\(name)_\(function.rawValue)") } }
        let writer = RowWriter(format: output.format, columns: columns, epoch: output.epoch)
        if !names.isEmpty {
            // nil reads every device in one pass; a --device list is read in the order given.
            let targets: [String?] = request.devices ?? [nil]
            for device in targets {
                let query = DownsampleQuery(device: device, from: request.from, to: request.to, fields: names,
                                            bucket: bucket, functions: functions)
                for row in try store.downsample(query) {
                    writer.row([.text(row.device), .time(row.bucketStart)] + row.values.map { .value($0) })
                }
            }
        }
        try writer.finish()
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        var slice = self
        while slice.first == character { slice.removeFirst() }
        while slice.last == character { slice.removeLast() }
        return String(slice)
    }
}
