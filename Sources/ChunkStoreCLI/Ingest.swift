import ArgumentParser
import ChunkStore
import ChunkStoreCLICore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Append readings from standard input or a file, creating the store if needed.",
        discussion: """
            Input is read as a stream, so memory stays bounded whatever its size.

            lp     InfluxDB line protocol: the device is the value of the tag named by
                   --device-tag (default 'device'), else the series key (measurement and
                   sorted tags); each field key is a stored field (the measurement is not
                   part of the name). Floats, integers (12i), unsigned (12u, exact) and booleans;
                   string fields are rejected. A line without a timestamp is stored at now.
            csv    A header row with a 'device' column, an optional time column ('ts',
                   'time' or 'timestamp': RFC 3339 or an epoch in --precision) and one
                   column per field, typed as in jsonl (3 is an integer, 3.5 a float,
                   true a boolean); an empty cell is a missing value. A bad cell rejects
                   its row, or with --keep-good-cells only itself (reported, exit 65).
            jsonl  One object per line: "device", "ts", and the fields either at the top
                   level or under "fields". An integer for a field already stored as
                   a float is stored as that float (JSON writers print 22.0 as 22).

            Integer epochs are read in --precision; the default, auto, reads each by
            its magnitude: |t| < 1e11 is s, < 1e14 ms, < 1e17 us, otherwise ns.

            Bad lines are reported as 'line N: reason' on stderr (the first 20, then a
            count of the rest); every good line is stored. The exit code is 0 when every
            line was accepted and 65 when some were rejected. With --strict the first bad
            line stops the ingest (exit 65) after storing everything before it.
            On exit 0 every row is flushed into chunks and fsynced.

            EXAMPLES
              chunkstore ingest < readings.lp
              chunkstore ingest --format csv --file readings.csv --precision s
              tail -f meters.jsonl | chunkstore ingest --format jsonl --sync always
              chunkstore ingest --device-tag host --precision ms --strict < metrics.lp

            \(Sysexit.table)
            """
    )

    enum Format: String, CaseIterable, ExpressibleByArgument {
        case lp, csv, jsonl
    }

    enum Sync: String, CaseIterable, ExpressibleByArgument {
        case always, interval, none

        var policy: SyncPolicy {
            switch self {
            case .always: .always
            case .interval: .default
            case .none: .none
            }
        }
    }

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Input format: lp (line protocol), csv or jsonl.")
    var format: Format = .lp

    @Option(help: ArgumentHelp("Read this file instead of standard input ('-' is standard input).", valueName: "path"))
    var file: String?

    @Option(help: """
        Unit of integer timestamps in the input: ns, us, ms, s, or auto (the default), \
        which reads each timestamp by its magnitude: |t| < 1e11 is s, < 1e14 ms, < 1e17 us, else ns.
        """)
    var precision: TimestampPrecision = .auto

    @Option(name: .customLong("device-tag"), help: ArgumentHelp("Line protocol tag whose value is the device.", valueName: "name"))
    var deviceTag: String = "device"

    @Option(help: "When the log is fsynced: always (every batch), interval (every 100 ms) or none (at the end).")
    var sync: Sync = .interval

    @Flag(help: "Stop at the first bad line (exit 65), keeping everything before it.")
    var strict = false

    @Flag(name: .customLong("keep-good-cells"), help: """
        CSV: store a row's good cells when some are bad, reporting each bad cell (line, \
        column); exit 65 when any cell was skipped. Without it a bad cell rejects its row.
        """)
    var keepGoodCells = false

    func validate() throws {
        if deviceTag.isEmpty { throw ValidationError("--device-tag must not be empty") }
        if keepGoodCells, format != .csv { throw ValidationError("--keep-good-cells applies to --format csv only") }
    }

    func run() throws {
        let fd = try openInput()
        defer { if fd != STDIN_FILENO { close(fd) } }
        var options = StoreOptions()
        options.sync = sync.policy
        options.createIfMissing = true
        let store = try Store.open(at: database.path, options: options)

        // The library's Ingester parses, type-checks each line and appends in batches.
        // (The benchmark's lp-ingest shares the parser and Store.append but batches into
        // ColumnBatch itself, without the per-line type check.)
        let ingester = Ingester(store: store, format: format.library, precision: precision, deviceTag: deviceTag,
                                keepGoodCells: keepGoodCells, now: nowNanoseconds)
        var report = RejectionReport(strict: strict)
        var progress = Progress()
        let started = monotonicSeconds()
        var failure: Error?
        do {
            try Self.feed(fd: fd, to: ingester, report: &report, progress: &progress, started: started)
        } catch {
            failure = error
        }
        progress.clear()
        // Close even after a failure so every row accepted so far is sealed and fsynced.
        var closeError: StoreError?
        do { try store.close() } catch { closeError = error }
        let summary = ingester.summary
        report.finish()
        let elapsed = monotonicSeconds() - started
        let rate = elapsed > 0 ? Int((Double(summary.rows) / elapsed).rounded()) : summary.rows
        printError("ingested \(plural(summary.rows, "row")), \(plural(summary.points, "point")), "
            + "\(plural(report.rejected, "rejected line")) in \(formatSeconds(elapsed)) (\(rate) rows/s)")
        if let failure { throw failure }
        if let closeError { throw closeError }
        if report.stopped { throw CLIError(.dataError, "stopped at the first bad line (--strict)") }
        if report.rejected > 0 { throw CLIError(.dataError, "\(plural(report.rejected, "line")) rejected") }
        if report.skippedCells > 0 {
            throw CLIError(.dataError, "\(plural(report.skippedCells, "bad cell")) skipped (--keep-good-cells)")
        }
    }

    /// Runs the library's reading loop until the input ends, a read fails, `--strict`
    /// meets a bad line or a CSV header is unusable, reporting each refused line and bad
    /// cell as it comes. What was accepted is appended before returning.
    private static func feed(fd: Int32, to ingester: Ingester, report: inout RejectionReport,
                             progress: inout Progress, started: Double) throws {
        defer { progress.clear() }
        do {
            _ = try ingester.ingest(fd: fd) { event in
                switch event {
                case .rejected(let error):
                    progress.clear()
                    return report.record(error)
                case .badCell(let error):
                    progress.clear()
                    return report.recordCell(error)
                case .progress(let summary):
                    progress.tick(rows: summary.rows, since: started)
                    return true
                }
            }
        } catch let error as IngestError where error.isFatal {
            progress.clear()
            _ = report.record(error)
            throw CLIError(.dataError, "line \(error.line) is not a usable CSV header; nothing was read after it")
        } catch let error as IngestError {
            throw CLIError(.ioError, "cannot read input: \(error.reason)")
        }
    }

    /// Standard input, or the `--file`, checked before the store is created so that a
    /// mistyped path does not leave an empty store behind.
    private func openInput() throws -> Int32 {
        guard let file, file != "-" else { return STDIN_FILENO }
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CLIError(.noInput, "cannot open \(file): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw CLIError(.noInput, "cannot read \(file): it is a directory")
        }
        return fd
    }
}

extension TimestampPrecision: ExpressibleByArgument {}

extension Ingest.Format {
    var library: IngestFormat {
        switch self {
        case .lp: .lp
        case .csv: .csv
        case .jsonl: .jsonl
        }
    }
}

/// Prints rejected lines (the first 20, then a count of the rest) and decides whether
/// the ingest goes on.
struct RejectionReport {
    static let shown = 20

    let strict: Bool
    private(set) var rejected = 0
    private(set) var stopped = false

    init(strict: Bool) { self.strict = strict }

    private(set) var skippedCells = 0

    /// Shows or counts `error`; returns whether to go on.
    mutating func record(_ error: IngestError) -> Bool {
        rejected += 1
        if rejected + skippedCells <= Self.shown { printError(error.description) }
        if strict { stopped = true }
        return !strict
    }

    /// Shows or counts a bad cell left out of a stored row; returns whether to go on.
    mutating func recordCell(_ error: IngestError) -> Bool {
        skippedCells += 1
        if rejected + skippedCells <= Self.shown { printError(error.description) }
        if strict { stopped = true }
        return !strict
    }

    func finish() {
        let hidden = rejected + skippedCells - Self.shown
        if hidden > 0, skippedCells == 0 {
            printError("... and \(plural(hidden, "more rejected line"))")
        } else if hidden > 0 {
            printError("... and \(plural(hidden, "more problem")) (\(plural(rejected, "rejected line")), "
                + "\(plural(skippedCells, "skipped cell")) in all)")
        }
    }
}

/// A live progress line on stderr, shown only when stderr is a terminal.
struct Progress {
    private let enabled = isatty(STDERR_FILENO) == 1
    private var lastShown = monotonicSeconds()
    private var visible = false

    mutating func tick(rows: Int, since start: Double) {
        guard enabled else { return }
        let now = monotonicSeconds()
        guard now - lastShown >= 0.5 else { return }
        lastShown = now
        let rate = Int((Double(rows) / max(now - start, 1e-9)).rounded())
        StandardStream.error.write("\r\u{1B}[Kingesting: \(rows) rows, \(formatSeconds(now - start)), \(rate) rows/s")
        StandardStream.error.flush()
        visible = true
    }

    mutating func clear() {
        guard visible else { return }
        StandardStream.error.write("\r\u{1B}[K")
        StandardStream.error.flush()
        visible = false
    }
}

/// `1.23 s`, with two decimals.
func formatSeconds(_ seconds: Double) -> String {
    let hundredths = Int((seconds * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) s"
}

/// `1 row`, `2 rows`.
func plural(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
