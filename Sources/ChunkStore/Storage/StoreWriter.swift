/// The single writer of a store: WAL, head, sealing and commits. Not thread-safe by
/// itself; ``Store`` guards it with two locks (see Store+Sealing.swift):
///
/// - the store's lock guards the appending side (`wal`, `head`, `sealing`, `due`,
///   `schemas`, `failure`) and every change of `manifest` and `index`;
/// - the commit lock is held by whatever changes the manifest (a seal, a compaction, a
///   drop), one at a time. `manifest`, `index` and `chunkEncoding` change only under it, so a
///   commit reads them, encodes and writes files without the store's lock, and takes that
///   lock only to install its result.
///
/// Hence `@unchecked Sendable`.
final class StoreWriter: @unchecked Sendable {
    let fileSystem: any FileSystem
    let layout: StoreLayout
    let options: StoreOptions
    var manifest: Manifest
    var index: IndexSet
    var wal: WALWriter
    var head = Head()
    /// Buffers taken out of `head` by the commit in progress: still visible to queries
    /// (``visibleHead``) and still in the WAL until the commit is installed.
    var sealing = Head()
    /// Field types per device, filled lazily from the index and the head.
    var schemas: [String: [String: FieldType]] = [:]
    var nextLSN: UInt64
    let lock: FileID
    let recovery: RecoveryReport
    /// Set after a failure that leaves the on-disk state uncertain (a failed WAL write or
    /// fsync): every later write is refused until the store is reopened, which recovers.
    var failure: StoreError?
    /// Encodes sealed and rewritten chunks on both cores, in order.
    var chunkEncoding = ChunkEncodingQueue()
    /// Told about every acknowledged append and every flush (the rules engine), if set.
    var observer: (any AppendObserver)?
    private var walBuffer = ByteWriter()
    /// Device-days that reached the row limit and wait to be sealed together: every commit
    /// costs several fsyncs, so due buffers are sealed in groups of `sealGroupSize` (and all
    /// at once on flush, close or the memory bound).
    var due = Set<DeviceDay>()
    static let sealGroupSize = 16

    /// A due buffer that doubled its row limit while waiting is sealed at once, so chunks
    /// stay near the configured size.
    private var dueBufferOverfull: Bool {
        due.contains { (head.buffers[$0]?.rows.rowCount ?? 0) >= 2 * options.chunkRowLimit }
    }

    var policy: DuplicatePolicy { manifest.duplicatePolicy }

    /// The unsealed rows queries see: those being sealed, then those appended since.
    var visibleHead: Head { sealing.overlaid(by: head) }

    /// What the appends so far ask of the sealer (checked after every append).
    var sealNeed: SealNeed {
        if failure != nil { return .none }
        if head.estimatedBytes + sealing.estimatedBytes > options.headMemoryLimit { return .everything }
        if due.count >= StoreWriter.sealGroupSize || dueBufferOverfull { return .due }
        return .none
    }

    /// When buffered rows must be sealed.
    enum SealNeed {
        case none
        /// Enough device-days are due: seal them, in the background.
        case due
        /// The head passed its memory bound: seal every buffer before appending more.
        case everything
    }

    init(fileSystem: any FileSystem, layout: StoreLayout, options: StoreOptions, manifest: Manifest, index: IndexSet,
         wal: WALWriter, head: Head, nextLSN: UInt64, lock: FileID, recovery: RecoveryReport) {
        self.fileSystem = fileSystem
        self.layout = layout
        self.options = options
        self.manifest = manifest
        self.index = index
        self.wal = wal
        self.head = head
        self.nextLSN = nextLSN
        self.lock = lock
        self.recovery = recovery
    }

    func checkUsable() throws {
        if let failure {
            throw StoreError.notWritable("the store had a write failure and must be reopened: \(failure)")
        }
    }

    func schema(of device: String) throws -> [String: FieldType] {
        if let cached = schemas[device] { return cached }
        let schema = try index.schema(of: device)
        schemas[device] = schema
        return schema
    }

    // MARK: Appending

    /// Logs and buffers already validated groups; ``sealNeed`` then says whether to seal.
    func append(_ groups: [(key: DeviceDay, rows: ColumnarRows)], newFields: [String: [String: FieldType]]) throws {
        try checkUsable()
        guard !groups.isEmpty else { return }
        if manifest.retention > 0 { try checkRetention(groups, now: WallClock.nanoseconds()) }
        walBuffer.reset()
        var numbered: [WALGroup] = []
        numbered.reserveCapacity(groups.count)
        for (key, rows) in groups {
            let group = WALGroup(lsn: nextLSN, device: key.device, day: key.day, rows: rows)
            nextLSN += 1
            WALRecord.append(group, to: &walBuffer)
            numbered.append(group)
        }
        do {
            if case .always = options.sync { try wal.write(walBuffer, sync: true) } else { try wal.write(walBuffer) }
        } catch let error as StoreError {
            failure = error
            throw error
        }
        for (device, fields) in newFields { schemas[device, default: [:]].merge(fields) { _, new in new } }
        for group in numbered {
            if head.add(group, segment: wal.segment) >= options.chunkRowLimit {
                due.insert(DeviceDay(device: group.device, day: group.day))
            }
        }
        do { try wal.rollIfFull() } catch let error as StoreError { failure = error; throw error }
        try observer?.rowsAppended(groups, by: self)
    }

    /// Fsyncs the WAL if anything is unsynced.
    func syncWAL() throws {
        guard failure == nil else { return }
        do { try wal.sync() } catch let error as StoreError { failure = error; throw error }
    }

    /// The WAL fsync the interval timer runs outside the store's lock, so that appends do
    /// not wait for it: what to fsync (under the lock), then ``walSynced(_:)`` or
    /// ``walSyncFailed(_:)`` (under the lock again).
    func pendingWALSync() -> (segment: UInt64, path: String, upTo: Int)? {
        failure == nil ? wal.pendingSync() : nil
    }

    func walSynced(_ sync: (segment: UInt64, path: String, upTo: Int)) {
        wal.didSync(segment: sync.segment, upTo: sync.upTo)
    }

    func walSyncFailed(_ error: StoreError) {
        if failure == nil { failure = error }
    }

    /// Seals every buffered row and fsyncs.
    ///
    /// The WAL is fsynced only if sealing fails: a successful seal fsyncs the chunks and
    /// the manifest, after which every row the WAL holds is durable in chunks (recovery
    /// skips sealed records), so syncing the log first would make the same rows durable
    /// twice. When sealing fails the rows stay in the head and depend on the WAL again.
    /// The caller holds the commit lock; `locked` reaches the store's lock.
    func flush(locked: UnderStoreLock = StoreWriter.held) throws {
        try locked {
            try self.checkUsable()
            try self.observer?.flushing(self)
        }
        do {
            try seal(all: true, locked: locked)
        } catch {
            try locked {
                do { try self.wal.sync() } catch let syncError as StoreError { self.failure = syncError }
            }
            throw error
        }
    }

    func close() {
        wal.close()
        fileSystem.unlock(lock)
    }
}
