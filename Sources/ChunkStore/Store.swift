import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// An open ChunkStore: an embedded, append-only time-series store in one directory.
///
/// A store opened with ``open(at:options:)`` is the single writer: it holds the
/// directory's lock until ``close()`` (or until the process exits). Any number of readers,
/// in this process or others, open it with ``openReader(at:)``; every query, the writer's
/// and any reader's, sees every row whose `append` has returned, sealed or not (readers
/// follow the writer's write-ahead log; see Formats/SPEC.md, "Readers of a live store").
///
/// All methods are thread-safe. Appends (and a reader's refresh before each query) are
/// serialised; queries run on a snapshot outside the lock, in parallel with each other and
/// with appends. Full device-days are sealed into chunks on a background thread (with the
/// automatic compactions that follow), and every seal or compaction writes without the
/// lock appends take, so an append does not wait for chunk I/O (see Store+Sealing.swift).
public final class Store: Sendable {
    /// The store directory.
    public let path: String
    let state: Mutex<State>
    private let timer: Mutex<DispatchSourceTimer?>
    /// The hourly retention check of a writer.
    private let maintenanceTimer: Mutex<DispatchSourceTimer?>
    /// Where the `async` overloads run their blocking work (see ``BlockingExecutor``).
    let blocking: BlockingExecutor
    /// Chunk summaries shared by this store's queries.
    private let summaryCache = ChunkSummaryCache()
    /// Rows of chunks that this store's downsampling queries decoded.
    private let decodedCache = DecodedChunkCache()
    /// Data files that this store's queries mapped.
    private let mappedFiles = DataFileMappings()
    /// Held by whatever changes the manifest (a seal, a compaction, a drop, a flush, close),
    /// one at a time; taken before `state`, never while holding it (Store+Sealing.swift).
    let committing = Mutex<Void>(())
    /// Where due device-days are sealed, off the appending threads.
    let sealer: DispatchQueue
    /// A background seal is queued and has not started yet.
    let sealRequested = Atomic<Bool>(false)

    enum State: Sendable {
        case writer(StoreWriter)
        case reader(ReaderState)
        case closed
    }

    private init(path: String, state: State) {
        self.path = path
        self.state = Mutex(state)
        self.timer = Mutex(nil)
        self.maintenanceTimer = Mutex(nil)
        self.blocking = BlockingExecutor(label: path)
        self.sealer = DispatchQueue(label: "chunkstore.sealer")
    }

    /// Opens the store at `path` as its single writer, creating it when
    /// `options.createIfMissing` allows. Replays the WAL left by an unclean stop.
    ///
    /// - Throws: ``StoreError/locked(path:)`` when another writer holds the store,
    ///   ``StoreError/storeNotFound(path:)``, ``StoreError/cannotCreate(path:reason:)``,
    ///   or an I/O or corruption error naming the file.
    public static func open(at path: String, options: StoreOptions = StoreOptions()) throws(StoreError) -> Store {
        let writer = try StoreError.wrapping(path) { try StoreWriter.open(path: path, options: options) }
        let store = Store(path: path, state: .writer(writer))
        if case .interval(let milliseconds) = options.sync { store.startSyncTimer(milliseconds: max(1, milliseconds)) }
        store.startMaintenanceTimer()
        return store
    }

    /// Opens the store at `path` read-only. Never takes the writer's lock and never writes:
    /// each query first reads what the writer committed and logged since the last one.
    public static func openReader(at path: String, options: StoreOptions = StoreOptions()) throws(StoreError) -> Store {
        let reader = try StoreError.wrapping(path) { try ReaderState(path: path, fileSystem: options.fileSystem) }
        return Store(path: path, state: .reader(reader))
    }

    /// What replaying the WAL at open recovered and cut off (empty for readers).
    public var recoveryReport: RecoveryReport {
        state.withLock { if case .writer(let w) = $0 { w.recovery } else { RecoveryReport() } }
    }

    /// The duplicate policy recorded when the store was created.
    public var duplicatePolicy: DuplicatePolicy {
        state.withLock {
            switch $0 {
            case .writer(let w): w.policy
            case .reader(let r): r.manifest.duplicatePolicy
            case .closed: .last
            }
        }
    }

    private func startSyncTimer(milliseconds: Int) {
        // Made inside the lock so the new source never leaves the mutex's region.
        timer.withLock { timer in
            let source = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
            source.schedule(deadline: .now() + .milliseconds(milliseconds), repeating: .milliseconds(milliseconds))
            source.setEventHandler { [weak self] in self?.syncWALOutsideTheLock() }
            source.resume()
            timer = source
        }
    }

    /// Fsyncs the WAL without holding the store's lock during the fsync, so appends go on
    /// meanwhile: the segment is opened again by name and fsynced through that descriptor
    /// (an fsync covers the file, whichever descriptor wrote it). A segment deleted in
    /// between was sealed into chunks, so it needs no fsync.
    private func syncWALOutsideTheLock() {
        let pending = state.withLock { state -> (sync: (segment: UInt64, path: String, upTo: Int), fs: any FileSystem)? in
            guard case .writer(let writer) = state, let sync = writer.pendingWALSync() else { return nil }
            return (sync, writer.fileSystem)
        }
        guard let pending else { return }
        do {
            let file = try pending.fs.open(pending.sync.path, .read)
            defer { pending.fs.close(file) }
            try pending.fs.sync(file)
            state.withLock { if case .writer(let writer) = $0 { writer.walSynced(pending.sync) } }
        } catch let error as StoreError {
            if error.systemError == ENOENT { return }
            state.withLock { if case .writer(let writer) = $0 { writer.walSyncFailed(error) } }
        } catch {}
    }

    /// Enforces the retention period every hour (a no-op while none is set); opening
    /// enforces it too.
    private func startMaintenanceTimer() {
        maintenanceTimer.withLock { timer in
            let source = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
            source.schedule(deadline: .now() + .seconds(3600), repeating: .seconds(3600), leeway: .seconds(60))
            source.setEventHandler { [weak self] in self?.enforceRetention() }
            source.resume()
            timer = source
        }
    }

    // MARK: Writing

    /// Appends rows of any devices, in any order. All rows are checked first (device ids,
    /// field names, each field's type per device); a bad row rejects the whole call and
    /// nothing of it is stored. When this returns, the rows are in the WAL and visible to
    /// queries: see ``SyncPolicy`` for when they are on stable storage.
    ///
    /// Full device-days are sealed into chunks in the background, so an append does not
    /// wait for encoding, writing or fsyncing chunks, except when the unsealed rows pass
    /// ``StoreOptions/headMemoryLimit``: then it seals them all before returning. An error
    /// from that seal (a full disk) comes after the rows were logged: they are durable all
    /// the same and sealed by a later ``flush()`` or by recovery.
    public func append(_ rows: [Row]) throws(StoreError) {
        let need = try withWriter { writer in
            var builder = BatchBuilder(schemaOf: writer.schema(of:))
            let groups = try builder.groups(for: rows)
            try writer.append(groups, newFields: builder.newFields)
            return writer.sealNeed
        }
        try seal(need)
    }

    /// Appends a columnar batch of one device: the fast path. Same checks and guarantees
    /// as ``append(_:)-([Row])``.
    public func append(_ batch: ColumnBatch) throws(StoreError) {
        let need = try withWriter { writer in
            var builder = BatchBuilder(schemaOf: writer.schema(of:))
            let groups = try builder.groups(for: batch)
            try writer.append(groups, newFields: builder.newFields)
            return writer.sealNeed
        }
        try seal(need)
    }

    /// Seals every buffered row into chunks and makes them durable: waits for a seal in
    /// progress, then seals the rest. Appends go on meanwhile.
    public func flush() throws(StoreError) {
        try withCommitter { writer, locked in try writer.flush(locked: locked) }
    }

    /// Flushes, releases the lock and closes the store. Later calls fail with
    /// ``StoreError/notWritable(_:)``. Closing a reader just releases it.
    public func close() throws(StoreError) {
        timer.withLock { $0?.cancel(); $0 = nil }
        maintenanceTimer.withLock { $0?.cancel(); $0 = nil }
        defer { mappedFiles.removeAll() }
        try StoreError.wrapping(path) {
            try committing.withLock { _ in
                try state.withLock { state in
                    defer { state = .closed }
                    guard case .writer(let writer) = state else { return }
                    defer { writer.close() }
                    if writer.failure == nil {
                        try writer.flush()
                        try writer.deleteAllWAL()
                    }
                }
            }
        }
    }

    deinit {
        timer.withLock { $0?.cancel() }
        maintenanceTimer.withLock { $0?.cancel() }
        state.withLock { state in
            if case .writer(let writer) = state {
                try? writer.syncWAL()
                writer.close()
            }
        }
    }

    // MARK: Helpers

    func withWriter<T>(_ body: (StoreWriter) throws -> T) throws(StoreError) -> T {
        try StoreError.wrapping(path) {
            try state.withLock { state -> T in
                switch state {
                case .writer(let writer): return try body(writer)
                case .reader: throw StoreError.notWritable("store \(path) is open read-only")
                case .closed: throw StoreError.notWritable("store \(path) is closed")
                }
            }
        }
    }

    /// Runs a query against the newest consistent view: a snapshot taken under the lock
    /// (the writer's committed chunks and a copy-on-write copy of its head, or a reader's
    /// refreshed state), queried outside it, so queries run in parallel with each other and
    /// with appends. The snapshot's index segments stay mapped while it lives; a data file
    /// that a compaction or drop deleted after the snapshot was taken makes the query run
    /// again on a newer one (SPEC §8, "Readers and rewrites").
    func withContext<T>(_ body: (StoreSnapshot) throws -> T) throws(StoreError) -> T {
        try StoreError.wrapping(path) {
            var attempt = 0
            while true {
                let context = try snapshot()
                do {
                    return try body(context)
                } catch let error as StoreError where error.systemError == ENOENT && attempt < 20 {
                    attempt += 1
                }
            }
        }
    }

    private func snapshot() throws -> StoreSnapshot {
        try state.withLock { state -> StoreSnapshot in
            switch state {
            case .writer(let w):
                return StoreSnapshot(layout: w.layout, fileSystem: w.fileSystem, manifest: w.manifest, index: w.index,
                                     head: w.visibleHead, summaries: summaryCache, decodedChunks: decodedCache,
                                     mappings: mappedFiles)
            case .reader(let r):
                try r.refresh()
                var context = r.context
                context.summaries = summaryCache
                context.decodedChunks = decodedCache
                context.mappings = mappedFiles
                return context
            case .closed:
                throw StoreError.notWritable("store \(path) is closed")
            }
        }
    }
}

extension Store {
    /// Appends a parsed batch: the ingest hot path (CLI and benchmark). Same checks and
    /// guarantees as ``append(_:)-([Row])``.
    package func append(_ batch: inout RecordBatch) throws(StoreError) {
        batch.sealColumns()
        let records = batch
        let need = try withWriter { writer in
            var builder = BatchBuilder(schemaOf: writer.schema(of:))
            let groups = try builder.groups(for: records)
            try writer.append(groups, newFields: builder.newFields)
            return writer.sealNeed
        }
        try seal(need)
    }

    /// The oldest timestamp an append may carry now (`.min` without a retention period),
    /// for refusing too-old input line by line.
    package func oldestAcceptedTimestamp() -> Int64 {
        state.withLock {
            if case .writer(let writer) = $0 { writer.oldestAccepted(now: WallClock.nanoseconds()) } else { .min }
        }
    }

    /// The type each field of `device` has in the store (sealed or buffered), for checking
    /// input line by line before it is batched.
    package func fieldTypes(of device: String) throws(StoreError) -> [String: FieldType] {
        try withWriter { try $0.schema(of: device) }
    }
}
