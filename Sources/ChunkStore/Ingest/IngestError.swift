/// A rejected input line: which line, and a human-readable reason.
///
/// Ingest keeps going after a bad line, so the error carries the line number the
/// CLI prints (`line 17: bad number "1.2.3" for field power`) rather than aborting.
package struct IngestError: Error, CustomStringConvertible, Equatable {
    /// 1-based line number in the input (0 when the error is not tied to a line).
    package var line: Int
    /// What was wrong, phrased for a person reading the CLI's error output.
    package var reason: String
    /// Nothing after this line can be read (a CSV header that does not parse).
    package var isFatal: Bool

    /// Creates an error for `line` with `reason`.
    package init(line: Int, reason: String, isFatal: Bool = false) {
        self.line = line
        self.reason = reason
        self.isFatal = isFatal
    }

    /// `line N: reason`, the form the CLI prints.
    package var description: String { "line \(line): \(reason)" }
}
