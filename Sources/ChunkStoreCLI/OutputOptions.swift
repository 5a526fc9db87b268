import ArgumentParser
import ChunkStoreCLICore

extension OutputFormat: ExpressibleByArgument {}
extension EpochUnit: ExpressibleByArgument {}

/// `--output` and `--epoch`, shared by the commands that print rows.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Output format: table, csv, json or jsonl (default: table on a terminal, else csv).", valueName: "format"))
    var output: OutputFormat?

    @Option(name: .long, help: ArgumentHelp(
        "Print timestamps as integer epochs in ns, ms or s instead of RFC 3339.", valueName: "unit"))
    var epoch: EpochUnit?

    var format: OutputFormat { output ?? .automatic }
}
