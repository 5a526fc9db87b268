import ArgumentParser
import ChunkStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How query results are printed.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    /// Aligned columns for people; the default when standard output is a terminal.
    case table
    /// RFC 4180 CSV with a header row; the default otherwise.
    case csv
    /// One JSON array of objects.
    case json
    /// One JSON object per line.
    case jsonl

    /// `table` on a terminal, `csv` in a pipe or file.
    static var automatic: OutputFormat { isatty(STDOUT_FILENO) == 1 ? .table : .csv }
}

/// The unit of integer timestamps printed with `--epoch`.
enum EpochUnit: String, CaseIterable, ExpressibleByArgument {
    case ns, ms, s

    var divisor: Int64 {
        switch self {
        case .ns: 1
        case .ms: 1_000_000
        case .s: 1_000_000_000
        }
    }

    /// `ns` in this unit, rounded towards negative infinity so that pre-1970 instants
    /// land in the unit that contains them.
    func convert(_ ns: Int64) -> Int64 {
        let q = ns / divisor
        return (ns % divisor < 0) ? q - 1 : q
    }
}

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
