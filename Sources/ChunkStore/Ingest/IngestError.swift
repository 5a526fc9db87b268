/// A rejected input line: which line, and a human-readable reason.
///
/// Ingest keeps going after a bad line, so the error carries the line number the
/// CLI prints (`line 17: bad number "1.2.3" for field power`) rather than aborting.
package struct IngestError: Error, CustomStringConvertible, Equatable {
    /// 1-based line number in the input (0 when the error is not tied to a line).
    package var line: Int
    /// What was wrong, phrased for a person reading the CLI's error output.
    package var reason: String

    /// Creates an error for `line` with `reason`.
    package init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    /// `line N: reason`, the form the CLI prints.
    package var description: String { "line \(line): \(reason)" }
}
