import ArgumentParser
import ChunkStore
import ChunkStoreCLICore

struct Alerts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the alerts the store's rules raised (firing and resolved events).",
        discussion: """
            Alerts are rows of the series _alerts/RULE/DEVICE (fields state, severity,
            value), so 'query', export and retention treat them like any data.

            EXAMPLES
              chunkstore alerts --active
              chunkstore alerts --since now-1d --output json

            \(Sysexit.table)
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Only alerts firing now (the newest event of each series, if it fires).")
    var active = false

    @Option(help: ArgumentHelp("Only events at or after this time.", valueName: "T"))
    var since: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        let since = try parseTime(since, "--since")
        let store = try database.openReader()
        defer { try? store.close() }
        try writeAlerts(try store.alerts(since: since, activeOnly: active), output)
    }
}
