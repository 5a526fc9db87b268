import ArgumentParser
import ChunkStore
import ChunkStoreCLICore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `chunkstore export`: Parquet in Hive layout for other engines, or text for ingest.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy rows out: Parquet for Spark, Trino, DuckDB; or text that ingest reads back.",
        discussion: """
            --format parquet writes DIR/day=YYYY-MM-DD/part-00000.parquet: columns device
            (string), time (timestamp, microseconds, UTC), time_ns (int64, the exact
            stored time in nanoseconds since the epoch) and one nullable column per field (double, int64, boolean; uint as int64
            annotated UINT_64), rows sorted by device and time, LZ4_RAW compressed
            where that pays. Each file is written
            atomically. A state file (DIR/_chunkstore_export_state) makes a rerun
            rewrite only the days whose rows changed; late rows for an old day rewrite
            that day; a day no longer selected loses its files.

            --format lp|csv|jsonl writes text to --out FILE or standard output, sorted by
            device and time, with timestamps in integer nanoseconds. Line protocol and
            JSON lines keep field types (ints stay ints), so
              chunkstore export --format lp | chunkstore ingest --db copy --precision ns
            rebuilds a store that answers every query the same. NaN and infinite floats
            have no such text: the export stops (exit 65) naming device, field and time.
            CSV prints values the same way. uint fields are written 123u in line
            protocol; CSV and JSON lines refuse them (exit 65).

            EXAMPLES
              chunkstore export --format parquet --out /srv/export
              chunkstore export --format parquet --out /srv/export --from now-7d --device meter-001
              chunkstore export --format lp --from 2026-01-01T00:00:00Z > jan.lp

            \(Sysexit.table)
            """
    )

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case parquet, lp, csv, jsonl
    }

    @OptionGroup var database: DatabaseOptions

    @Option(help: "parquet, lp, csv or jsonl.")
    var format: Format = .lp

    @Option(help: ArgumentHelp("Directory (parquet) or file (text; default standard output).", valueName: "DIR|FILE"))
    var out: String?

    @Option(help: ArgumentHelp("Start time, inclusive.", valueName: "T"))
    var from: String?

    @Option(help: ArgumentHelp("End time, exclusive.", valueName: "T"))
    var to: String?

    @Option(name: .customLong("device"), help: ArgumentHelp("A device to export (repeatable; default: all).", valueName: "ID"))
    var devices: [String] = []

    @Option(name: .customLong("row-group-rows"), help: ArgumentHelp("Rows per Parquet row group.", valueName: "N"))
    var rowGroupRows = 1 << 20

    private var selection = ExportSelection()

    private enum CodingKeys: String, CodingKey {
        case database, format, out, from, to, devices, rowGroupRows
    }

    mutating func validate() throws {
        if format == .parquet && (out ?? "").isEmpty { throw ValidationError("--format parquet needs --out DIR") }
        if devices.contains(where: \.isEmpty) { throw ValidationError("--device must not be empty") }
        if rowGroupRows < 1 { throw ValidationError("--row-group-rows must be positive") }
        let now = nowNanoseconds()
        selection.from = try parseTime(from, "--from", now: now)
        selection.to = try parseTime(to, "--to", now: now)
        if let low = selection.from, let high = selection.to, high <= low {
            throw ValidationError("--to must be later than --from (an empty range would remove every exported day)")
        }
        selection.devices = devices
    }

    func run() throws {
        let store = try database.openReader()
        defer { try? store.close() }
        for device in try selection.unknownDevices(in: store) {
            printError("chunkstore: warning: no device \"\(device)\" in \(database.path)")
        }
        if format == .parquet {
            let summary = try ParquetExport(directory: out ?? "", selection: selection, rowGroupRows: rowGroupRows).run(store: store)
            printError("exported \(summary.rows) rows to \(summary.daysWritten) day files (\(summary.bytes) bytes); "
                + "\(summary.daysUnchanged) days unchanged, \(summary.daysRemoved) removed")
            return
        }
        let textFormat = TextExport.Format(rawValue: format.rawValue) ?? .lp
        let export = TextExport(format: textFormat, selection: selection)
        guard let out else {
            let stream = StandardStream.output
            _ = try export.run(store: store) { stream.write($0) }
            try stream.finish()
            return
        }
        let file = try TextOutputFile(path: out)
        do {
            _ = try export.run(store: store) { try file.write($0) }
            try file.commit()
        } catch {
            file.abandon()
            throw error
        }
    }
}

/// A text output file written under `PATH.tmp` and renamed over PATH once complete and fsynced.
final class TextOutputFile {
    private let path: String
    private let temp: String
    private var fd: Int32

    init(path: String) throws {
        self.path = path
        temp = path + ".tmp"
        fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw CLIError(.cannotCreate, "cannot create \(temp): \(String(cString: strerror(errno)))") }
    }

    func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw CLIError(.ioError, "cannot write \(temp): \(String(cString: strerror(errno)))")
                }
                offset += n
            }
        }
    }

    func commit() throws {
        guard fsync(fd) == 0, close(fd) == 0 else { throw CLIError(.ioError, "cannot write \(temp): \(String(cString: strerror(errno)))") }
        fd = -1
        guard rename(temp, path) == 0 else { throw CLIError(.ioError, "cannot rename \(temp) to \(path): \(String(cString: strerror(errno)))") }
    }

    func abandon() {
        if fd >= 0 { close(fd) }
        fd = -1
        unlink(temp)
    }
}
