import Foundation
import CSQLite
import ChunkStore

/// A failed SQLite call, with SQLite's own message.
struct SQLiteError: Error, CustomStringConvertible {
    var code: Int32
    var message: String
    var description: String { "SQLite error \(code): \(message)" }
}

/// SQLite's "make a private copy of this buffer" destructor, which the C macro
/// `SQLITE_TRANSIENT` expresses as a cast of -1 that Swift cannot import.
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// A thin owner of one `sqlite3*` connection.
final class SQLiteDatabase {
    private(set) var handle: OpaquePointer?

    init(path: String, readOnly: Bool = false) throws {
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        handle = db
        if rc != SQLITE_OK {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(db)
            handle = nil
            throw SQLiteError(code: rc, message: "\(path): \(message)")
        }
    }

    deinit { close() }

    func close() {
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    var lastMessage: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "closed" }

    func check(_ rc: Int32, _ what: @autoclosure () -> String) throws {
        if rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW {
            throw SQLiteError(code: rc, message: "\(what()): \(lastMessage)")
        }
    }

    /// Runs SQL without results (may hold several statements).
    func exec(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw SQLiteError(code: rc, message: "\(sql.prefix(80)): \(message)")
        }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        try check(sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil), "prepare \(sql.prefix(80))")
        return SQLiteStatement(db: self, statement: statement)
    }

    /// The first column of the first row of a query, as text (for PRAGMA answers).
    func scalarText(_ sql: String) throws -> String? {
        let s = try prepare(sql)
        return try s.step() ? s.text(0) : nil
    }
}

/// A prepared statement; finalised when released.
final class SQLiteStatement {
    private let db: SQLiteDatabase
    let statement: OpaquePointer?

    init(db: SQLiteDatabase, statement: OpaquePointer?) {
        self.db = db
        self.statement = statement
    }

    deinit { sqlite3_finalize(statement) }

    func reset() {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    // Binding: indexes are 1-based, as in SQLite.
    func bind(_ i: Int32, _ value: Int64) throws { try db.check(sqlite3_bind_int64(statement, i, value), "bind int") }
    func bind(_ i: Int32, _ value: Double) throws { try db.check(sqlite3_bind_double(statement, i, value), "bind double") }
    func bindNull(_ i: Int32) throws { try db.check(sqlite3_bind_null(statement, i), "bind null") }
    func bind(_ i: Int32, _ value: String) throws {
        try db.check(sqlite3_bind_text(statement, i, value, -1, transient), "bind text")
    }

    /// Steps once: true when a row is available, false when done.
    @discardableResult
    func step() throws -> Bool {
        let rc = sqlite3_step(statement)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw SQLiteError(code: rc, message: "step: \(db.lastMessage)")
    }

    /// Steps a statement that returns no rows and resets it for reuse.
    func run() throws {
        defer { sqlite3_reset(statement) }
        try step()
    }

    // Reading: indexes are 0-based, as in SQLite.
    func isNull(_ i: Int32) -> Bool { sqlite3_column_type(statement, i) == SQLITE_NULL }
    func int64(_ i: Int32) -> Int64 { sqlite3_column_int64(statement, i) }
    func double(_ i: Int32) -> Double { sqlite3_column_double(statement, i) }
    func text(_ i: Int32) -> String? {
        guard let p = sqlite3_column_text(statement, i) else { return nil }
        return String(cString: p)
    }
    func columnType(_ i: Int32) -> Int32 { sqlite3_column_type(statement, i) }
}

/// Quotes an identifier for SQL.
func sqlIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// The baseline: one `readings` table keyed by (device, ts) WITHOUT ROWID, WAL journal,
/// `synchronous=NORMAL` (a commit reaches the WAL file but is fsynced only at checkpoints:
/// the same promise as ChunkStore's `sync: .none`, which writes its WAL on every append and
/// fsyncs on flush and close), prepared statements, one transaction per batch.
final class SQLiteReadings {
    let path: String
    let fields: [(name: String, type: FieldType)]
    let db: SQLiteDatabase
    private var insert: SQLiteStatement?

    static let hourNanos: Int64 = 3_600_000_000_000

    /// Opens (creating when `create`) the database at `path`.
    init(path: String, fields: [(name: String, type: FieldType)], create: Bool, autoCheckpoint: Bool = true) throws {
        self.path = path
        self.fields = fields
        db = try SQLiteDatabase(path: path)
        try db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
        if !autoCheckpoint { try db.exec("PRAGMA wal_autocheckpoint=0;") }
        if create {
            let columns = fields.map { "\(sqlIdentifier($0.name)) \($0.type == .float ? "REAL" : "INTEGER")" }
            try db.exec("CREATE TABLE IF NOT EXISTS readings(device TEXT NOT NULL, ts INTEGER NOT NULL, "
                + columns.joined(separator: ", ") + ", PRIMARY KEY(device, ts)) WITHOUT ROWID;")
        }
    }

    /// Removes the database and its WAL and shared-memory files.
    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Bytes of the database's files.
    static func bytes(_ path: String) -> Int {
        ["", "-wal", "-shm"].reduce(0) { $0 + fileSize(path + $1) }
    }

    /// An upsert that, like ChunkStore's `last` policy, lets a later value of a field
    /// replace an earlier one at the same (device, ts) and keeps fields the later row lacks.
    private func insertStatement() throws -> SQLiteStatement {
        if let insert { return insert }
        let names = fields.map { sqlIdentifier($0.name) }
        let sql = "INSERT INTO readings(device, ts, \(names.joined(separator: ", "))) VALUES(?, ?"
            + String(repeating: ", ?", count: names.count) + ") ON CONFLICT(device, ts) DO UPDATE SET "
            + names.map { "\($0) = coalesce(excluded.\($0), \($0))" }.joined(separator: ", ")
        let s = try db.prepare(sql)
        insert = s
        return s
    }

    /// Appends one batch in one transaction.
    func append(_ batch: ColumnBatch) throws {
        let s = try insertStatement()
        // Map batch columns to table columns once per batch.
        var slots: [Int?] = Array(repeating: nil, count: fields.count)
        for (c, column) in batch.columns.enumerated() {
            guard let f = fields.firstIndex(where: { $0.name == column.name }) else {
                throw BenchError("field \(column.name) is not in the table")
            }
            slots[f] = c
        }
        try db.exec("BEGIN")
        for r in batch.timestamps.indices {
            try s.bind(1, batch.device)
            try s.bind(2, batch.timestamps[r])
            for f in fields.indices {
                let i = Int32(f + 3)
                guard let c = slots[f] else { try s.bindNull(i); continue }
                let column = batch.columns[c]
                if let present = column.present, !present[r] { try s.bindNull(i); continue }
                switch column.values {
                case .float(let v): try s.bind(i, v[r])
                case .int(let v): try s.bind(i, v[r])
                case .bool(let v): try s.bind(i, Int64(v[r] ? 1 : 0))
                case .uint(let v): try s.bind(i, Int64(bitPattern: v[r]))
                }
            }
            try s.run()
        }
        try db.exec("COMMIT")
    }

    /// Line-protocol ingest: the same parser as ChunkStore's, each record bound straight
    /// into the upsert, committed every `window` records.
    func ingestLineProtocol(_ text: UnsafeRawBufferPointer, window: Int) throws -> Int {
        let s = try insertStatement()
        var parser = LineProtocolParser()
        var inTransaction = 0
        var slotCache: [String: Int32] = [:]
        for (f, field) in fields.enumerated() { slotCache[field.name] = Int32(f + 3) }
        let lines = try forEachLineProtocolRecord(text, parser: &parser) { record in
            if inTransaction == 0 { try db.exec("BEGIN") }
            try s.bind(1, record.device)
            try s.bind(2, record.timestamp ?? 0)
            for f in fields.indices { try s.bindNull(Int32(f + 3)) }
            for field in record.fields {
                guard let i = slotCache[field.name] else { throw BenchError("field \(field.name) is not in the table") }
                switch field.value {
                case .float(let v): try s.bind(i, v)
                case .int(let v): try s.bind(i, v)
                case .bool(let v): try s.bind(i, Int64(v ? 1 : 0))
                case .uint(let v): try s.bind(i, Int64(bitPattern: v))
                }
            }
            try s.run()
            inTransaction += 1
            if inTransaction >= window { try db.exec("COMMIT"); inTransaction = 0 }
        }
        if inTransaction > 0 { try db.exec("COMMIT") }
        return lines
    }

    func checkpoint() throws {
        try db.exec("PRAGMA wal_checkpoint(TRUNCATE);")
    }

    func close() { insert = nil; db.close() }

    // MARK: Queries

    private var statements: [String: SQLiteStatement] = [:]
    private func statement(_ key: String, _ sql: () -> String) throws -> SQLiteStatement {
        if let s = statements[key] { s.reset(); return s }
        let s = try db.prepare(sql())
        statements[key] = s
        return s
    }

    private func value(_ s: SQLiteStatement, _ i: Int32, _ type: FieldType) -> FieldValue? {
        if s.isNull(i) { return nil }
        switch type {
        case .float: return .float(s.double(i))
        case .int: return .int(s.int64(i))
        case .bool: return .bool(s.int64(i) != 0)
        case .uint: return .uint(UInt64(bitPattern: s.int64(i)))
        }
    }

    private var fieldList: String { fields.map { sqlIdentifier($0.name) }.joined(separator: ", ") }

    /// Distinct devices by a loose index scan over the primary key (one seek per device),
    /// the fastest way SQLite has to enumerate them without a separate table.
    private static let devicesCTE = """
        WITH RECURSIVE d(dev) AS (
          SELECT (SELECT min(device) FROM readings)
          UNION ALL SELECT (SELECT min(device) FROM readings WHERE device > d.dev) FROM d WHERE d.dev IS NOT NULL)
        """

    private static func bucket(_ column: String) -> String {
        "(\(column) - ((\(column) % \(hourNanos)) + \(hourNanos)) % \(hourNanos))"
    }

    func range(device: String, from: Int64, to: Int64) throws -> RangeAnswer {
        let s = try statement("range") { "SELECT ts, \(fieldList) FROM readings WHERE device = ?1 AND ts >= ?2 AND ts < ?3 ORDER BY ts" }
        try s.bind(1, device); try s.bind(2, from); try s.bind(3, to)
        var answer = RangeAnswer(timestamps: [], values: Array(repeating: [], count: fields.count))
        while try s.step() {
            answer.timestamps.append(s.int64(0))
            for (f, field) in fields.enumerated() { answer.values[f].append(value(s, Int32(f + 1), field.type)) }
        }
        return answer
    }

    func downsample(device: String, field: String, from: Int64, to: Int64) throws -> DownsampleAnswer {
        let type = fields.first { $0.name == field }?.type ?? .float
        let f = sqlIdentifier(field)
        let s = try statement("downsample:\(field)") {
            "SELECT \(Self.bucket("ts")) AS b, avg(\(f)), min(\(f)), max(\(f)) FROM readings "
                + "WHERE device = ?1 AND ts >= ?2 AND ts < ?3 GROUP BY b ORDER BY b"
        }
        try s.bind(1, device); try s.bind(2, from); try s.bind(3, to)
        var rows: [DownsampleAnswer.Row] = []
        while try s.step() {
            rows.append(.init(device: device, bucket: s.int64(0),
                              values: [value(s, 1, .float), value(s, 2, type), value(s, 3, type)]))
        }
        return DownsampleAnswer(rows: rows)
    }

    func fleet(field: String, from: Int64, to: Int64) throws -> DownsampleAnswer {
        let f = sqlIdentifier(field)
        let s = try statement("fleet:\(field)") {
            Self.devicesCTE + " SELECT r.device, \(Self.bucket("r.ts")) AS b, avg(r.\(f)) FROM d CROSS JOIN readings r "
                + "WHERE r.device = d.dev AND r.ts >= ?1 AND r.ts < ?2 GROUP BY r.device, b ORDER BY r.device, b"
        }
        try s.bind(1, from); try s.bind(2, to)
        var rows: [DownsampleAnswer.Row] = []
        while try s.step() {
            rows.append(.init(device: s.text(0) ?? "", bucket: s.int64(1), values: [value(s, 2, .float)]))
        }
        return DownsampleAnswer(rows: rows)
    }

    func last() throws -> LastAnswer {
        let s = try statement("last") {
            Self.devicesCTE + " SELECT r.device, r.ts, \(fields.map { "r." + sqlIdentifier($0.name) }.joined(separator: ", ")) "
                + "FROM d CROSS JOIN readings r WHERE r.device = d.dev "
                + "AND r.ts = (SELECT max(ts) FROM readings WHERE device = d.dev) ORDER BY r.device"
        }
        var rows: [LastAnswer.Row] = []
        while try s.step() {
            rows.append(.init(device: s.text(0) ?? "", timestamp: s.int64(1),
                              values: fields.enumerated().map { value(s, Int32($0.offset + 2), $0.element.type) }))
        }
        return LastAnswer(rows: rows)
    }
}

/// Size of a file in bytes, 0 when missing.
func fileSize(_ path: String) -> Int {
    var st = stat()
    return stat(path, &st) == 0 ? Int(st.st_size) : 0
}
