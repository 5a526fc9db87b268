/// Parses CSV with a header row into a reusable ``ParsedRecord``.
///
/// The header names the columns: one `device` column, at most one time column (`ts`,
/// `time` or `timestamp`; names match case-insensitively), and any number of field
/// columns named by their header text. Cells follow RFC 4180: `"…"` quotes a cell,
/// `""` inside quotes is a quote; spaces around unquoted cells are trimmed.
///
/// Values are typed as in JSONL: `true`/`false` are booleans, an integer literal (`3`,
/// `-12`) is an int, any other number (`3.5`, `2e3`) a float; the ingest takes an integer
/// cell for a field already stored as float as that float (`3` is `3.0`), so a CSV
/// written from a query keeps int fields int and float fields float. An empty cell is a
/// missing value; a row with no values at all is rejected. A bad field cell rejects the
/// row, or with ``keepGoodCells`` is left out and reported in ``badCells``. The time cell is an
/// RFC 3339 instant or an integer epoch in `precision`; an empty time cell leaves the
/// timestamp nil (the caller substitutes now), as does a header with no time column.
package struct CSVParser {
    private enum Role {
        case device, time, field(String)
    }

    /// The unit of integer epoch times in the time column.
    package let precision: TimestampPrecision
    /// The byte between cells, `,` unless the input says otherwise (e.g. `;`).
    package let separator: UInt8

    /// Store a row's good cells when some field cells are bad, instead of rejecting it.
    package var keepGoodCells = false
    /// With ``keepGoodCells``: the bad field cells of the last parsed row, each naming its
    /// line and column.
    package private(set) var badCells: [IngestError] = []

    private var roles: [Role] = []
    private var names = NameInterner()
    private var cellBytes: [UInt8] = []
    private var cells: [Range<Int>] = []

    /// Creates a parser whose integer times are in `precision` and whose cells are
    /// separated by `separator`. The first line given to ``parse(_:lineNumber:into:)`` that is not
    /// blank is the header (or call ``parseHeader(_:lineNumber:)`` first).
    package init(precision: TimestampPrecision = .auto, separator: UInt8 = UInt8(ascii: ",")) {
        self.precision = precision
        self.separator = separator
        cellBytes.reserveCapacity(1024)
        cells.reserveCapacity(32)
    }

    /// The number of columns the header declared (0 before the header).
    package var columnCount: Int { roles.count }

    /// Reads the header row and fixes the column roles for all later rows. Throws
    /// without a device column, for two time columns, duplicate or invalid names.
    package mutating func parseHeader(_ line: UnsafeRawBufferPointer, lineNumber: Int) throws(IngestError) {
        var bytes = line
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            bytes = UnsafeRawBufferPointer(rebasing: bytes[3...])
        }
        try split(bytes, lineNumber: lineNumber)
        var newRoles: [Role] = []
        var seen = Set<String>()
        var hasDevice = false, hasTime = false
        for range in cells {
            let name = try names.intern(cellBytes, range, what: "column name", line: lineNumber)
            guard seen.insert(name).inserted else {
                throw IngestError(line: lineNumber, reason: "column \(name.debugDescription) appears twice in the header")
            }
            switch name.lowercased() {
            case "device":
                hasDevice = true
                newRoles.append(.device)
            case "ts", "time", "timestamp":
                guard !hasTime else {
                    throw IngestError(line: lineNumber, reason: "more than one time column (ts, time, timestamp) in the header")
                }
                hasTime = true
                newRoles.append(.time)
            default:
                newRoles.append(.field(name))
            }
        }
        guard hasDevice else { throw IngestError(line: lineNumber, reason: "the header has no device column") }
        guard newRoles.count > (hasTime ? 2 : 1) else {
            throw IngestError(line: lineNumber, reason: "the header has no field columns")
        }
        roles = newRoles
    }

    /// Parses one line into `record` (reset first): the first line that is not blank is
    /// the header (read as ``parseHeader(_:lineNumber:)`` does, a failure being fatal: no
    /// later row could be read), every later one a data row. Returns `false` for a blank
    /// line and the header; throws for a malformed row, naming the column at fault.
    package mutating func parse(
        _ line: UnsafeRawBufferPointer, lineNumber: Int, into record: inout ParsedRecord
    ) throws(IngestError) -> Bool {
        record.reset()
        badCells.removeAll(keepingCapacity: true)
        let blank = line.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
        if roles.isEmpty {
            if blank { return false }
            do {
                try parseHeader(line, lineNumber: lineNumber)
            } catch {
                throw IngestError(line: error.line, reason: error.reason, isFatal: true)
            }
            return false
        }
        if blank {
            return false
        }
        try split(line, lineNumber: lineNumber)
        guard cells.count == roles.count else {
            throw IngestError(line: lineNumber, reason: "expected \(roles.count) columns, found \(cells.count)")
        }
        for (index, role) in roles.enumerated() {
            let range = cells[index]
            switch role {
            case .device:
                record.device = try names.intern(cellBytes, range, what: "device", line: lineNumber)
            case .time:
                if !range.isEmpty {
                    record.timestamp = try timestamp(range, lineNumber: lineNumber)
                }
            case .field(let name):
                if range.isEmpty { continue }
                let value = cellBytes.withUnsafeBytes { buf in
                    Result { () throws(IngestError) -> FieldValue in
                        try Self.cellValue(UnsafeRawBufferPointer(rebasing: buf[range]), field: name, line: lineNumber)
                    }
                }
                switch value {
                case .success(let value):
                    record.set(name, value)
                case .failure(let error):
                    guard keepGoodCells else { throw error }
                    badCells.append(IngestError(line: lineNumber,
                                                reason: "column \(name.debugDescription): \(error.reason); the cell was skipped"))
                }
            }
        }
        if record.fields.isEmpty, let first = badCells.first {
            badCells.removeAll()
            throw IngestError(line: lineNumber, reason: first.reason + " and the row has no good field values")
        }
        guard !record.fields.isEmpty else { throw IngestError(line: lineNumber, reason: "the row has no field values") }
        return true
    }

    /// A field cell's value: a boolean, an int for an integer literal, else a float.
    private static func cellValue(_ text: UnsafeRawBufferPointer, field: String, line: Int) throws(IngestError) -> FieldValue {
        if let bool = FieldValueText.boolean(text, lineProtocolForms: false) { return .bool(bool) }
        switch NumberParsing.int64(text) {
        case .value(let v): return .int(v)
        case .overflow:
            throw IngestError(line: line, reason: "integer \(NameRules.quoted(text)) for field \(field) is out of range for a 64-bit integer")
        case .invalid: return try FieldValueText.float(text, field: field, line: line)
        }
    }

    private func timestamp(_ range: Range<Int>, lineNumber: Int) throws(IngestError) -> Int64 {
        let result = cellBytes.withUnsafeBytes { buf in
            Result { () throws(TimeFormatError) -> Int64 in
                let text = UnsafeRawBufferPointer(rebasing: buf[range])
                switch NumberParsing.int64(text) {
                case .value(let v): return try precision.nanoseconds(v)
                case .overflow: throw TimeFormatError("timestamp \(NameRules.quoted(text)) is out of range")
                case .invalid: return try TimeParsing.parseRFC3339(text)
                }
            }
        }
        do { return try result.get() } catch { throw IngestError(line: lineNumber, reason: error.reason) }
    }

    /// Splits `line` into `cells` (ranges of unescaped bytes in `cellBytes`).
    private mutating func split(_ line: UnsafeRawBufferPointer, lineNumber: Int) throws(IngestError) {
        cellBytes.removeAll(keepingCapacity: true)
        cells.removeAll(keepingCapacity: true)
        let quote = UInt8(ascii: "\"")
        func isBlank(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") }
        var i = 0
        let n = line.count
        while true {
            while i < n, isBlank(line[i]) { i += 1 }
            let start = cellBytes.count
            if i < n, line[i] == quote {
                i += 1
                var closed = false
                while i < n {
                    if line[i] == quote {
                        if i + 1 < n, line[i + 1] == quote {
                            cellBytes.append(quote)
                            i += 2
                            continue
                        }
                        i += 1
                        closed = true
                        break
                    }
                    cellBytes.append(line[i])
                    i += 1
                }
                guard closed else {
                    throw IngestError(line: lineNumber, reason: "unterminated quoted cell in column \(cells.count + 1)")
                }
                while i < n, isBlank(line[i]) { i += 1 }
                guard i == n || line[i] == separator else {
                    throw IngestError(line: lineNumber, reason: "unexpected text after the closing quote in column \(cells.count + 1)")
                }
            } else {
                while i < n, line[i] != separator {
                    guard line[i] != quote else {
                        throw IngestError(line: lineNumber, reason: "quote inside an unquoted cell in column \(cells.count + 1)")
                    }
                    cellBytes.append(line[i])
                    i += 1
                }
                while cellBytes.count > start, let last = cellBytes.last, isBlank(last) { cellBytes.removeLast() }
            }
            cells.append(start..<cellBytes.count)
            if i >= n { return }
            i += 1
        }
    }
}
