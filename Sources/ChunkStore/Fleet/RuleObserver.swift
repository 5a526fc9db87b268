#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Connects a ``RuleEngine`` to a writer: evaluates appended rows, appends the alert rows
/// they cause through the normal append path, checks stale rules against the event clock
/// (the newest row timestamp seen) whenever it advanced a second, and against the later of
/// it and the wall clock at every flush; and saves the engine's state (``RuleStateFile``) at every flush.
final class RuleObserver: AppendObserver {
    private(set) var engine: RuleEngine
    private let statePath: String
    private var lastStaleCheck: Int64 = .min
    private var busy = false
    /// The wall clock in ns; replaceable for tests.
    var clock: () -> Int64 = RuleObserver.wallClock

    init(engine: RuleEngine, statePath: String) {
        self.engine = engine
        self.statePath = statePath
    }

    /// Loads `rules.json` and `rules.state` of the writer's store; nil when there is no rules file.
    static func load(for writer: StoreWriter) throws -> RuleObserver? {
        let rulesPath = writer.layout.rules
        guard writer.fileSystem.exists(rulesPath) else { return nil }
        let set: RuleSet
        do { set = try RuleSet.parse(try writer.fileSystem.readAll(rulesPath)) } catch let error as RulesError {
            throw StoreError.corrupt(path: rulesPath, offset: 0, reason: error.description)
        }
        var engine = RuleEngine(ruleSet: set)
        if writer.fileSystem.exists(writer.layout.rulesState) {
            try RuleStateFile.decode(try writer.fileSystem.readAll(writer.layout.rulesState), path: writer.layout.rulesState, into: &engine)
        }
        return RuleObserver(engine: engine, statePath: writer.layout.rulesState)
    }

    /// Catches up on rows recovered from the WAL without emitting: the alert rows they
    /// raised before the crash were logged with them and are recovered too.
    func catchUp(on head: Head) {
        var discarded: [AlertEvent] = []
        for key in head.buffers.keys.sorted(by: { ($0.device, $0.day) < ($1.device, $1.day) }) {
            if let rows = head.buffers[key]?.rows { engine.observe(device: key.device, rows: rows, into: &discarded) }
        }
    }

    func rowsAppended(_ groups: [(key: DeviceDay, rows: ColumnarRows)], by writer: StoreWriter) throws {
        guard !busy else { return }
        var events: [AlertEvent] = []
        for (key, rows) in groups { engine.observe(device: key.device, rows: rows, into: &events) }
        let now = engine.newestTimestamp
        if now != .min, now >= lastStaleCheck &+ 1_000_000_000 {
            lastStaleCheck = now
            engine.checkStale(now: now, into: &events)
        }
        try store(events, writer)
    }

    func flushing(_ writer: StoreWriter) throws {
        guard !busy else { return }
        var events: [AlertEvent] = []
        engine.checkStale(now: max(clock(), engine.newestTimestamp), into: &events)
        try store(events, writer)
        try writer.fileSystem.writeAtomically(statePath, RuleStateFile.encode(engine), directory: writer.layout.root)
    }

    /// Appends alert rows; events whose series id would exceed the 255-byte device limit are dropped.
    private func store(_ events: [AlertEvent], _ writer: StoreWriter) throws {
        let rows = events.map(\.row).filter { $0.device.utf8.count <= 255 }
        guard !rows.isEmpty else { return }
        busy = true
        defer { busy = false }
        var builder = BatchBuilder(schemaOf: writer.schema(of:))
        let groups = try builder.groups(for: rows)
        try writer.append(groups, newFields: builder.newFields)
    }

    static func wallClock() -> Int64 { WallClock.nanoseconds() }
}
