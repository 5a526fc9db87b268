/// The single writer of a store: WAL, head, sealing and commits. Not thread-safe by
/// itself: ``Store`` serialises every call under its lock.
/// Only used under its `Store`'s mutex, hence `@unchecked Sendable`.
final class StoreWriter: @unchecked Sendable {
    let fileSystem: any FileSystem
    let layout: StoreLayout
    let options: StoreOptions
    var manifest: Manifest
    var index: IndexSet
    var wal: WALWriter
    var head = Head()
    /// Field types per device, filled lazily from the index and the head.
    var schemas: [String: [String: FieldType]] = [:]
    var nextLSN: UInt64
    let lock: FileID
    let recovery: RecoveryReport
    /// Set after a failure that leaves the on-disk state uncertain (a failed WAL write or
    /// fsync): every later write is refused until the store is reopened, which recovers.
    var failure: StoreError?
    var encoder = ChunkEncoder()
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

    /// Logs and buffers already validated groups, then seals what is due.
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
        if head.estimatedBytes > options.headMemoryLimit {
            try seal(Array(head.buffers.keys))
        } else if due.count >= StoreWriter.sealGroupSize || dueBufferOverfull {
            try seal(Array(due))
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
    func flush() throws {
        try checkUsable()
        try observer?.flushing(self)
        do {
            try seal(Array(head.buffers.keys))
        } catch {
            do { try wal.sync() } catch let syncError as StoreError { failure = syncError }
            throw error
        }
    }

    func close() {
        wal.close()
        fileSystem.unlock(lock)
    }
}
