import ArgumentParser
import ChunkStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Append readings from standard input or a file, creating the store if needed.",
        discussion: """
            Input is read as a stream, so memory stays bounded whatever its size.

            lp     InfluxDB line protocol: the device is the value of the tag named by
                   --device-tag (default 'device'), else the series key (measurement and
                   sorted tags); each field key is a stored field (the measurement is not
                   part of the name). Floats, integers (12i), unsigned (12u) and booleans;
                   string fields are rejected. A line without a timestamp is stored at now.
            csv    A header row with a 'device' column, an optional time column ('ts',
                   'time' or 'timestamp': RFC 3339 or an epoch in --precision) and one
                   numeric column per field; an empty cell is a missing value.
            jsonl  One object per line: "device", "ts", and the fields either at the top
                   level or under "fields". An integer for a field already stored as
                   a float is stored as that float (JSON writers print 22.0 as 22).

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

    @Option(help: "Unit of integer timestamps in the input: ns, us, ms or s.")
    var precision: TimestampPrecision = .ns

    @Option(name: .customLong("device-tag"), help: ArgumentHelp("Line protocol tag whose value is the device.", valueName: "name"))
    var deviceTag: String = "device"

    @Option(help: "When appends are fsynced: always, interval (every 100 ms) or none (only at the end).")
    var sync: Sync = .interval

    @Flag(help: "Stop at the first bad line (exit 65), keeping everything before it.")
    var strict = false

    func validate() throws {
        if deviceTag.isEmpty { throw ValidationError("--device-tag must not be empty") }
    }

    func run() throws {
        let fd = try openInput()
        defer { if fd != STDIN_FILENO { close(fd) } }
        var options = StoreOptions()
        options.sync = sync.policy
        options.createIfMissing = true
        let store = try Store.open(at: database.path, options: options)

        var session = IngestSession(store: store, strict: strict, coerceIntegers: format == .jsonl)
        var failure: Error?
        do {
            switch format {
            case .lp:
                var parser = LineProtocolParser(deviceTag: deviceTag, precision: precision)
                try session.consume(fd: fd, parser: &parser)
            case .csv:
                var parser = CSVInput(CSVParser(precision: precision))
                try session.consume(fd: fd, parser: &parser)
            case .jsonl:
                var parser = JSONLinesParser(precision: precision)
                try session.consume(fd: fd, parser: &parser)
            }
        } catch {
            failure = error
        }
        session.progress.clear()
        // Close even after a failure so every row accepted so far is sealed and fsynced.
        var closeError: StoreError?
        do { try store.close() } catch { closeError = error }
        session.printSummary()
        if let failure, !(failure is StrictStop) { throw failure }
        if let closeError { throw closeError }
        if session.rejected > 0 {
            throw CLIError(.dataError, failure is StrictStop
                ? "stopped at the first bad line (--strict)"
                : "\(plural(session.rejected, "line")) rejected")
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

/// Thrown to end an ingest at the first bad line under `--strict`.
struct StrictStop: Error {}

/// One of the library's parsers, seen through the shape the ingest loop needs.
protocol RecordParser {
    mutating func parse(_ line: UnsafeRawBufferPointer, lineNumber: Int, into record: inout ParsedRecord) throws(IngestError) -> Bool
}

extension LineProtocolParser: RecordParser {}
extension JSONLinesParser: RecordParser {}

/// The CSV parser, which takes its first non-blank line as the header.
struct CSVInput: RecordParser {
    var parser: CSVParser
    var sawHeader = false

    init(_ parser: CSVParser) { self.parser = parser }

    mutating func parse(_ line: UnsafeRawBufferPointer, lineNumber: Int, into record: inout ParsedRecord) throws(IngestError) -> Bool {
        if sawHeader { return try parser.parse(line, lineNumber: lineNumber, into: &record) }
        if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { return false }
        do {
            try parser.parseHeader(line, lineNumber: lineNumber)
        } catch {
            // Without a header no later row can be read: this ends the ingest.
            throw IngestError(line: error.line, reason: "bad CSV header: \(error.reason)")
        }
        sawHeader = true
        return false
    }
}

/// The state of one ingest: batching, counting, rejected lines and progress.
struct IngestSession {
    static let batchSize = 4096
    static let shownErrors = 20

    let store: Store
    let strict: Bool
    /// Whether an int for a float field is stored as a float (JSON Lines).
    let coerceIntegers: Bool
    private(set) var rows = 0
    private(set) var points = 0
    private(set) var rejected = 0
    var progress = Progress()
    private let started = monotonicSeconds()
    private var batch: [Row] = []
    private var batchLines: [Int] = []

    init(store: Store, strict: Bool, coerceIntegers: Bool) {
        self.store = store
        self.strict = strict
        self.coerceIntegers = coerceIntegers
        batch.reserveCapacity(Self.batchSize)
        batchLines.reserveCapacity(Self.batchSize)
    }

    mutating func consume<P: RecordParser>(fd: Int32, parser: inout P) throws {
        var reader = LineReader(fd: fd)
        var record = ParsedRecord()
        while true {
            let next = Self.nextLine(&reader)
            if case .failure(let error) = next {
                if error.reason.hasPrefix("read failed") {
                    try appendBatch()
                    throw CLIError(.ioError, "cannot read input: \(error.reason)")
                }
                try reject(error)
                continue
            }
            guard case .success(let item) = next, let (line, number) = item else { break }
            do throws(IngestError) {
                guard try parser.parse(line, lineNumber: number, into: &record) else { continue }
            } catch {
                if parser is CSVInput, error.reason.hasPrefix("bad CSV header") {
                    try appendBatch()
                    rejected += 1
                    printError(error.description)
                    throw CLIError(.dataError, "cannot ingest CSV without a valid header")
                }
                try reject(error)
                continue
            }
            var fields = [String: FieldValue](minimumCapacity: record.fields.count)
            for (name, value) in record.fields { fields[name] = value }
            batch.append(Row(device: record.device, timestamp: record.timestamp ?? nowNanoseconds(), fields: fields))
            batchLines.append(number)
            if batch.count >= Self.batchSize {
                try appendBatch()
                progress.tick(rows: rows, since: started)
            }
        }
        try appendBatch()
    }

    private static func nextLine(_ reader: inout LineReader) -> Result<(UnsafeRawBufferPointer, Int)?, IngestError> {
        do throws(IngestError) { return .success(try reader.next()) } catch { return .failure(error) }
    }

    /// Counts (and shows, for the first 20) a bad line; under `--strict` stores what came
    /// before it and stops.
    private mutating func reject(_ error: IngestError) throws {
        rejected += 1
        if rejected <= Self.shownErrors {
            progress.clear()
            printError(error.description)
        }
        if strict {
            try appendBatch()
            throw StrictStop()
        }
    }

    /// Appends the pending rows. The store rejects a whole call for one bad row, so on a
    /// data error the rows are retried one by one to keep every good line.
    private mutating func appendBatch() throws {
        guard !batch.isEmpty else { return }
        let rowsToAppend = batch, lines = batchLines
        batch.removeAll(keepingCapacity: true)
        batchLines.removeAll(keepingCapacity: true)
        if let error = Self.tryAppend(store, rowsToAppend) {
            guard error.sysexit == .dataError else { throw error }
        } else {
            count(rowsToAppend)
            return
        }
        for (row, line) in zip(rowsToAppend, lines) {
            var row = row
            var failure = Self.tryAppend(store, [row])
            // JSON has one number type and many writers print 22.0 as 22: with jsonl, an
            // integer for a field the device already stores as float is taken as that float.
            while coerceIntegers, case .typeMismatch(_, let field, .float, .int)? = failure,
                  case .int(let value)? = row.fields[field] {
                row.fields[field] = .float(Double(value))
                failure = Self.tryAppend(store, [row])
            }
            if let failure {
                guard failure.sysexit == .dataError else { throw failure }
                try reject(IngestError(line: line, reason: failure.description))
            } else {
                count([row])
            }
        }
    }

    /// The store's error for `rows`, or nil when they were appended.
    private static func tryAppend(_ store: Store, _ rows: [Row]) -> StoreError? {
        do throws(StoreError) {
            try store.append(rows)
            return nil
        } catch {
            return error
        }
    }

    private mutating func count(_ appended: [Row]) {
        rows += appended.count
        for row in appended { points += row.fields.count }
    }

    func printSummary() {
        let elapsed = monotonicSeconds() - started
        if rejected > Self.shownErrors {
            printError("... and \(plural(rejected - Self.shownErrors, "more rejected line"))")
        }
        let rate = elapsed > 0 ? Int((Double(rows) / elapsed).rounded()) : rows
        printError("ingested \(plural(rows, "row")), \(plural(points, "point")), \(plural(rejected, "rejected line")) in \(formatSeconds(elapsed)) (\(rate) rows/s)")
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
