/// The state and steps of one ingest, kept in one value so that the per-line work
/// is a single access to ``Ingester``'s storage rather than one exclusivity check per
/// property touched.
struct IngestCore<Parser: RecordParser> {
    private let store: Store
    private var parser: Parser
    private var record = ParsedRecord()
    /// The current line as the line protocol fast path parsed it.
    private var lpRow = LineProtocolRow()
    private var batch = RecordBatch()
    /// Appends full batches on a second thread while the next is parsed.
    private let appender: BatchAppender
    /// Per device met: its field types (the store's, then this ingest's).
    private var deviceStates: [DeviceState] = []
    private var stateIndex: [String: Int] = [:]
    /// Direct-mapped cache from the parser's device id to `deviceStates` index.
    private var stateByID = [(id: Int, state: Int)](repeating: (-1, -1), count: 256)
    private let batchRows: Int
    private let now: () -> Int64
    private(set) var summary = IngestSummary()
    /// Whether `checkTypes` changed a value's type (`12u` for an int field) on this line.
    private var converted = false
    /// Rows before this are refused (the store's retention); refreshed with every batch.
    /// It runs a minute ahead of the store's own limit, so that a line accepted here is not
    /// refused with its whole batch when the batch is appended a moment later.
    private var oldestAccepted: Int64

    init(store: Store, parser: Parser, batchRows: Int, now: @escaping () -> Int64) {
        self.store = store
        appender = BatchAppender(store: store)
        self.parser = parser
        self.batchRows = max(1, batchRows)
        self.now = now
        oldestAccepted = IngestCore.retentionLimit(store)
    }

    private static func retentionLimit(_ store: Store) -> Int64 {
        let oldest = store.oldestAcceptedTimestamp()
        return oldest == .min ? .min : oldest &+ 60_000_000_000
    }

    /// Parses, checks and batches one line. Store failures are thrown.
    mutating func consume(_ line: UnsafeRawBufferPointer, lineNumber: Int) throws(StoreError) -> LineOutcome {
        summary.lines += 1
        summary.bytes += line.count + 1
        // Line protocol in its common shape, for a device whose last line had the same
        // fields and types, takes the fast path; the rest the general one below.
        var fastParsed = false
        if parser.parseFast(line, into: &lpRow) {
            if let outcome = try consumeFast() { return outcome }
            fastParsed = true
        }
        do {
            guard try parser.parse(line, lineNumber: lineNumber, into: &record) else { return .skipped }
        } catch {
            summary.rejected += 1
            return error.isFatal ? .fatal(error) : .rejected(error)
        }
        let state = try deviceState()
        if let problem = checkTypes(state: state, lineNumber: lineNumber) {
            summary.rejected += 1
            return .rejected(problem)
        }
        // Shapes only from the fast parse of this very line: they then name the same
        // fields, in the same order, as `record`.
        // A converted value no longer has its fast-parsed type: such lines stay off the fast path.
        let shapes = fastParsed && !converted ? lpRow.lineShapes : []
        deviceStates[state].lastShapes = shapes
        let timestamp = record.timestamp ?? now()
        if timestamp < oldestAccepted {
            summary.rejected += 1
            return .rejected(IngestError(line: lineNumber, reason: "\(StoreError.expired(device: record.device, timestamp: timestamp, oldestAccepted: oldestAccepted))"))
        }
        guard batch.append(device: record.device, key: state, timestamp: timestamp, fields: record.fields, shapes: shapes) else {
            summary.rejected += 1
            return .rejected(IngestError(line: lineNumber, reason: "field types of device \"\(record.device)\" changed within the batch"))
        }
        summary.rows += 1
        summary.points += record.fields.count
        if batch.rowCount >= batchRows { try handOffBatch() }
        let badCells = parser.badCells
        if !badCells.isEmpty {
            summary.skippedCells += badCells.count
            return .partial(badCells)
        }
        return .accepted
    }

    /// Stores the fast-parsed `lpRow` when its device is known and its fields have the
    /// names and types of that device's last accepted line, in the ingest's checks and in
    /// the batch: nothing new to check or look up by name. Nil otherwise, for the general
    /// path to handle the line.
    private mutating func consumeFast() throws(StoreError) -> LineOutcome? {
        let id = lpRow.deviceID
        let s: Int
        if stateByID[id & 255].id == id {
            s = stateByID[id & 255].state
        } else {
            // Many devices (more than the cache holds) still skip the reparse.
            guard let name = parser.deviceName(of: id), let known = stateIndex[name] else { return nil }
            s = known
            stateByID[id & 255] = (id, s)
        }
        let timestamp = lpRow.timestamp ?? now()
        guard timestamp >= oldestAccepted, lpRow.hasShapes(deviceStates[s].lastShapes),
              let d = batch.fastSlot(key: s, row: lpRow) else { return nil }
        batch.appendFast(d, timestamp: timestamp, row: lpRow)
        summary.rows += 1
        summary.points += lpRow.count
        if batch.rowCount >= batchRows { try handOffBatch() }
        return .accepted
    }

    /// Counts a line that could not be read at all as seen and rejected.
    mutating func countUnreadable() {
        summary.lines += 1
        summary.rejected += 1
    }

    /// Appends what is batched, after the batch in flight: when this returns, every
    /// accepted line is in the store.
    mutating func flushBatch() throws(StoreError) {
        try appender.settle()
        guard batch.rowCount > 0 else { return }
        try store.append(&batch)
        batch.removeAll()
        oldestAccepted = IngestCore.retentionLimit(store)
    }

    /// Starts appending the full batch on the appender's thread and goes on with an empty
    /// one; throws the failure of the batch before it.
    private mutating func handOffBatch() throws(StoreError) {
        try appender.handOff(&batch)
        oldestAccepted = IngestCore.retentionLimit(store)
    }

    /// Waits for the batch in flight when an ingest ends by an error, so that nothing is
    /// still appending after the ingest returns; that batch's own failure, if any, is
    /// dropped in favour of the error already on its way.
    mutating func abandonInFlight() {
        try? appender.settle()
    }

    /// The index in `deviceStates` of the record's device, loading its stored field types
    /// on first sight.
    private mutating func deviceState() throws(StoreError) -> Int {
        let id = record.deviceID
        if id >= 0, stateByID[id & 255].id == id { return stateByID[id & 255].state }
        let s: Int
        if let known = stateIndex[record.device] {
            s = known
        } else {
            s = deviceStates.count
            deviceStates.append(DeviceState(types: try store.fieldTypes(of: record.device)))
            stateIndex[record.device] = s
        }
        if id >= 0 { stateByID[id & 255] = (id, s) }
        return s
    }

    /// A field whose type differs from the one the device already has refuses the line.
    private mutating func checkTypes(state s: Int, lineNumber: Int) -> IngestError? {
        converted = false
        if deviceStates[s].isLastRow(record.fields) { return nil }
        let device = record.device
        for (i, field) in record.fields.enumerated() {
            let given = field.value.type
            if let existing = deviceStates[s].types[field.name] {
                // JSON and CSV writers drop the ".0" of whole numbers: an integer literal
                // for a float field is that float, not a type error.
                if Parser.numbersHaveOneType, existing == .float, case .int(let whole) = field.value {
                    record.fields[i].value = .float(Double(whole))
                } else if existing == .int, case .uint(let u) = field.value, let v = Int64(exactly: u) {
                    // A field stored as int before unsigned had its own type (`12u` was
                    // an int) keeps taking `12u` when it fits.
                    record.fields[i].value = .int(v)
                    converted = true
                } else if existing != given {
                    return IngestError(line: lineNumber, reason: StoreError.typeMismatch(device: device, field: field.name,
                                                                                        existing: existing, given: given).description)
                }
            } else {
                deviceStates[s].types[field.name] = given
            }
        }
        deviceStates[s].lastNames = record.fields.map(\.name)
        deviceStates[s].lastTypes = record.fields.map(\.value.type)
        return nil
    }
}

/// What an ingest knows of one device.
private struct DeviceState {
    var types: [String: FieldType]
    /// The field names and types of the device's last accepted line, all already in
    /// `types` with those types: a line that repeats them needs no lookup.
    var lastNames: [String] = []
    var lastTypes: [FieldType] = []
    /// The same line's ``LineProtocolRow/Field/shape``s when the fast path parsed it, else empty.
    var lastShapes: [Int] = []

    func isLastRow(_ fields: [(name: String, value: FieldValue)]) -> Bool {
        guard fields.count == lastNames.count else { return false }
        for i in fields.indices where fields[i].name != lastNames[i] || fields[i].value.type != lastTypes[i] {
            return false
        }
        return true
    }
}
