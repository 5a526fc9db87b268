import ArgumentParser
import ChunkStore
import ChunkStoreCLICore

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

    /// Checked once in `validate()`, by the code `serve`'s query endpoint runs too.
    private var plan: QueryRequest.Plan?

    private enum CodingKeys: String, CodingKey {
        case database, devices, allDevices, from, to, fieldLists, agg, fn, tz, output
    }

    /// The options as ``QueryRequest`` takes them.
    var request: QueryRequest {
        QueryRequest(devices: devices, allDevices: allDevices, from: from, to: to, fieldLists: fieldLists, agg: agg, fn: fn, tz: tz)
    }

    mutating func validate() throws {
        plan = try request.validated()
    }

    func run() throws {
        let store = try database.openReader()
        defer { try? store.close() }
        let plan = try plan ?? request.validated()
        try plan.run(store: store, storePath: database.path, format: output.format, epoch: output.epoch)
    }
}
