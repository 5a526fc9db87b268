import ChunkStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How query results are printed.
package enum OutputFormat: String, CaseIterable, Sendable {
    /// Aligned columns for people; the default when standard output is a terminal.
    case table
    /// RFC 4180 CSV with a header row; the default otherwise.
    case csv
    /// One JSON array of objects.
    case json
    /// One JSON object per line.
    case jsonl

    /// `table` on a terminal, `csv` in a pipe or file.
    package static var automatic: OutputFormat { isatty(STDOUT_FILENO) == 1 ? .table : .csv }
}

/// The unit of integer timestamps printed with `--epoch`.
package enum EpochUnit: String, CaseIterable, Sendable {
    case ns, ms, s

    package var divisor: Int64 {
        switch self {
        case .ns: 1
        case .ms: 1_000_000
        case .s: 1_000_000_000
        }
    }

    /// `ns` in this unit, rounded towards negative infinity so that pre-1970 instants
    /// land in the unit that contains them.
    package func convert(_ ns: Int64) -> Int64 {
        let q = ns / divisor
        return (ns % divisor < 0) ? q - 1 : q
    }
}
