import ArgumentParser
import ChunkStore
import ChunkStoreCLICore

struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise every device: rows, first/last reading, gaps, field statistics, consumption, clusters.",
        discussion: """
            One row per device: rows, first, last, interval_s (median step), gaps (steps
            over --gap intervals), and per field F: F_mean, F_min, F_max, F_p50, F_p95
            (nearest rank), and with --counter C: C_consumption (sum of increases; a drop
            is a reset). With --clusters K the output is instead one row per cluster:
            cluster, size, members (space-separated), profile (24 normalised hourly means,
            UTC), from k-means++ with a fixed seed (deterministic).

            Percentiles and gaps need every row. With --no-percentiles and --no-gaps (and
            no --counter, whose consumption needs its rows) the rest comes from the chunks'
            stored statistics and hourly rollups wherever they stand for their rows exactly
            (no overlapping late chunk or unsealed rows), which reads far less.

            EXAMPLES
              chunkstore summary --from 2026-01-01 --to 2026-01-02 --field power_w
              chunkstore summary --counter energy_kwh --output json
              chunkstore summary --field power_w --clusters 4 --output json

            \(Sysexit.table)
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp("Start time, inclusive.", valueName: "T")) var from: String?
    @Option(help: ArgumentHelp("End time, exclusive.", valueName: "T")) var to: String?
    @Option(name: .customLong("field"), help: ArgumentHelp("A field to summarise (repeatable; default: all).", valueName: "F"))
    var fields: [String] = []
    @Option(help: ArgumentHelp("A cumulative counter field whose consumption to report.", valueName: "F")) var counter: String?
    @Option(help: ArgumentHelp("A step over N usual intervals is a gap (default 3).", valueName: "N")) var gap: Double = 3
    @Option(help: ArgumentHelp("Group devices into K load-profile clusters.", valueName: "K")) var clusters: Int?
    @Flag(name: .customLong("no-percentiles"), help: "Leave out p50 and p95 (they need every row).") var noPercentiles = false
    @Flag(name: .customLong("no-gaps"), help: "Leave out interval_s and gaps (they need every timestamp).") var noGaps = false
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard gap > 0, gap.isFinite else { throw ValidationError("--gap must be a positive number") }
        if let clusters, clusters < 1 || clusters > 1000 { throw ValidationError("--clusters must be between 1 and 1000") }
    }

    func run() throws {
        var request = SummaryRequest(from: try parseTime(from, "--from"), to: try parseTime(to, "--to"))
        request.fields = fields
        request.counter = counter
        request.gapIntervals = gap
        request.clusters = clusters ?? 0
        request.percentiles = !noPercentiles
        request.gaps = !noGaps
        let store = try database.openReader()
        defer { try? store.close() }
        try Listings.summary(try store.summary(request), counter: counter, clustered: request.clusters > 0,
                             format: output.format, epoch: output.epoch)
    }
}
