import ChunkStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered writer on a file descriptor that reports write failures as exit 74.
///
/// The CLI is single-threaded; the shared instances are only touched from the main thread.
package final class StandardStream: @unchecked Sendable {
    package static let output = StandardStream(fd: STDOUT_FILENO)
    package static let error = StandardStream(fd: STDERR_FILENO)

    private let fd: Int32
    private var buffer: [UInt8] = []
    /// The first write error, kept so that `flush()` can report it.
    package private(set) var failure: String?

    private init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    package func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    package func write(utf8 bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    package func flush() {
        var offset = 0
        while offset < buffer.count, failure == nil {
            let n = buffer.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
            } else {
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and throws exit 74 when any write to standard output failed.
    package func finish() throws {
        flush()
        if let failure { throw CLIError(.ioError, "cannot write to standard output: \(failure)") }
    }
}

/// Where a ``RowWriter``'s text goes: standard output for the CLI, a ``TextBuffer`` for
/// the server, which answers with the very text the CLI prints.
package protocol TextSink: AnyObject {
    /// Appends `text`.
    func write(_ text: String)
    /// Appends text given as UTF-8 bytes (what writers that format bytes hand over).
    func write(utf8 bytes: [UInt8])
    /// Flushes what is buffered; throws when a write failed.
    func finish() throws
}

extension StandardStream: TextSink {}

extension TextSink {
    /// Appends the bytes as text (for sinks that keep strings).
    package func write(utf8 bytes: [UInt8]) { write(String(decoding: bytes, as: UTF8.self)) }
}

/// Text kept in memory, as UTF-8 bytes.
package final class TextBuffer: TextSink {
    /// Everything written so far, as UTF-8.
    package private(set) var bytes: [UInt8] = []

    /// Everything written so far.
    package var text: String { String(decoding: bytes, as: UTF8.self) }

    package init() {}

    package func write(_ text: String) { bytes.append(contentsOf: text.utf8) }

    package func write(utf8 bytes: [UInt8]) { self.bytes.append(contentsOf: bytes) }

    package func finish() throws {}
}

/// One cell of a result row.
package enum Cell {
    case text(String)
    case time(Int64)
    case value(FieldValue?)
    case int(Int)
    /// Field names and types: `name:type name:type` as text, an array of
    /// `{"name": ..., "type": ...}` objects in JSON.
    case fields([(name: String, type: String)])
}

/// Writes rows of named columns as a table, CSV, a JSON array or JSON lines.
///
/// CSV and JSON lines stream row by row; a table is held until ``finish()`` so that
/// its columns can be aligned, and a JSON array is streamed between its brackets.
package final class RowWriter {
    package let format: OutputFormat
    package let columns: [String]
    package let epoch: EpochUnit?
    private let out: any TextSink
    private var tableRows: [[String]] = []
    private var rightAligned: [Bool]
    private var rowCount = 0
    /// `"name":` of each column as UTF-8, escaped once rather than in every JSON row.
    private let jsonKeys: [[UInt8]]
    /// A JSON row being built, as bytes (strings appended piece by piece cost a JSON
    /// answer of many rows more than the query behind it).
    private var line: [UInt8] = []
    /// The last text cell and its JSON literal: a device's rows repeat its name.
    private var lastText: (text: String, json: [UInt8])?

    package init(format: OutputFormat, columns: [String], epoch: EpochUnit?, out: any TextSink = StandardStream.output) {
        self.format = format
        self.columns = columns
        self.epoch = epoch
        self.out = out
        rightAligned = Array(repeating: true, count: columns.count)
        jsonKeys = format == .json || format == .jsonl ? columns.map { Array((TextEscaping.json($0) + ":").utf8) } : []
        switch format {
        case .csv: out.write(columns.map(TextEscaping.csv).joined(separator: ",") + "\n")
        case .json: out.write("[")
        case .table, .jsonl: break
        }
    }

    package func row(_ cells: [Cell]) {
        precondition(cells.count == columns.count, "row of \(cells.count) cells for \(columns.count) columns")
        switch format {
        case .csv:
            var line = ""
            for (i, cell) in cells.enumerated() {
                if i > 0 { line += "," }
                appendCSV(cell, to: &line)
            }
            line += "\n"
            out.write(line)
        case .jsonl:
            line.removeAll(keepingCapacity: true)
            appendJSONObject(cells)
            line.append(UInt8(ascii: "\n"))
            out.write(utf8: line)
        case .json:
            line.removeAll(keepingCapacity: true)
            if rowCount > 0 { line.append(UInt8(ascii: ",")) }
            line.append(UInt8(ascii: "\n"))
            appendJSONObject(cells)
            out.write(utf8: line)
        case .table:
            for (i, cell) in cells.enumerated() {
                switch cell {
                case .text: rightAligned[i] = false
                case .time: if epoch == nil { rightAligned[i] = false }
                case .value(let v): if case .bool? = v { rightAligned[i] = false }
                case .fields: rightAligned[i] = false
                case .int: break
                }
            }
            tableRows.append(cells.map { cell in
                // People read tables: floats to 4 decimals. CSV and JSON stay exact.
                if case .value(.float(let d)?) = cell, d.isFinite, abs(d) >= 1e-4, abs(d) < 1e15 {
                    return "\((d * 10_000).rounded() / 10_000)"
                }
                return plain(cell)
            })
        }
        rowCount += 1
    }

    package func finish() throws {
        switch format {
        case .json: out.write(rowCount == 0 ? "]\n" : "\n]\n")
        case .table: writeTable()
        case .csv, .jsonl: break
        }
        try out.finish()
    }

    // MARK: Rendering

    /// The cell as plain text: what CSV and the table show.
    private func plain(_ cell: Cell) -> String {
        switch cell {
        case .text(let s): s
        case .time(let ns): epoch.map { String($0.convert(ns)) } ?? TimeParsing.formatRFC3339(ns)
        case .value(nil): ""
        case .value(let v?): Self.number(v)
        case .int(let n): String(n)
        case .fields(let list): list.map { "\($0.name):\($0.type)" }.joined(separator: " ")
        }
    }

    /// The cell as a CSV field. Numbers, booleans and times never hold a comma, quote,
    /// line break or edge space, so only text goes through CSV quoting (a row is built in
    /// one string: no array of cells and `joined` per row).
    private func appendCSV(_ cell: Cell, to line: inout String) {
        switch cell {
        case .value(nil): break
        case .value(let v?): line += Self.number(v)
        case .int(let n): line += String(n)
        case .time(let ns): line += epoch.map { String($0.convert(ns)) } ?? TimeParsing.formatRFC3339(ns)
        case .text, .fields: line += TextEscaping.csv(plain(cell))
        }
    }

    /// Values as the shortest text that reads back to the same value.
    package static func number(_ value: FieldValue) -> String {
        switch value {
        case .float(let d):
            if d.isNaN { return "NaN" }
            if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
            return "\(d)"
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .uint(let u): return String(u)
        }
    }

    /// Appends `{"column":value,...}` to ``line``.
    private func appendJSONObject(_ cells: [Cell]) {
        line.append(UInt8(ascii: "{"))
        for (i, cell) in cells.enumerated() {
            if i > 0 { line.append(UInt8(ascii: ",")) }
            line.append(contentsOf: jsonKeys[i])
            switch cell {
            case .text(let s):
                if let last = lastText, last.text == s {
                    line.append(contentsOf: last.json)
                } else {
                    let literal = Array(TextEscaping.json(s).utf8)
                    lastText = (s, literal)
                    line.append(contentsOf: literal)
                }
            case .time(let ns) where epoch == nil:
                line.append(UInt8(ascii: "\""))
                TimeParsing.appendRFC3339(ns, to: &line)
                line.append(UInt8(ascii: "\""))
            default:
                line.append(contentsOf: json(cell).utf8)
            }
        }
        line.append(UInt8(ascii: "}"))
    }

    private func json(_ cell: Cell) -> String {
        switch cell {
        case .text(let s): return TextEscaping.json(s)
        case .time(let ns): return epoch.map { String($0.convert(ns)) } ?? "\"\(TimeParsing.formatRFC3339(ns))\""
        case .value(nil): return "null"
        case .value(.float(let d)?):
            // JSON has no NaN or infinity; null keeps the document valid.
            return d.isFinite ? d.description : "null"
        case .value(let v?): return Self.number(v)
        case .int(let n): return String(n)
        case .fields(let list):
            return "[" + list.map { "{\"name\":\(TextEscaping.json($0.name)),\"type\":\(TextEscaping.json($0.type))}" }
                .joined(separator: ",") + "]"
        }
    }

    private func writeTable() {
        let all = [columns] + tableRows
        var widths = Array(repeating: 0, count: columns.count)
        for row in all { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        for (r, row) in all.enumerated() {
            var line = ""
            for (i, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                let last = i == row.count - 1
                if r > 0 && rightAligned[i] { line += pad + cell } else { line += last ? cell : cell + pad }
                if !last { line += "  " }
            }
            out.write(line + "\n")
        }
    }
}

/// `write(2)`, which `StandardStream.write` shadows.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
    Darwin.write(fd, bytes, count)
    #else
    Glibc.write(fd, bytes, count)
    #endif
}
