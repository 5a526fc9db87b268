/// When appended rows reach the disk.
public enum SyncPolicy: Sendable, Hashable {
    /// `append` returns after the WAL record is fsynced: a returned append survives power loss.
    case always
    /// The WAL is fsynced at least every `milliseconds` by a background timer (and on
    /// flush and close): a crash loses at most the appends of the last interval.
    case interval(milliseconds: Int)
    /// The WAL is written (surviving a crash of the process) but fsynced only on flush and close.
    case none

    /// The default: `interval(milliseconds: 100)`.
    public static let `default` = SyncPolicy.interval(milliseconds: 100)
}

/// How to open a store.
public struct StoreOptions: Sendable {
    /// Create the store directory if it does not exist (writers only). Default true.
    public var createIfMissing: Bool = true
    /// Durability of `append`. Default ``SyncPolicy/default``.
    public var sync: SyncPolicy = .default
    /// Duplicate policy for a new store; an existing store keeps the one it was created with.
    public var duplicatePolicy: DuplicatePolicy = .last
    /// Bound on the memory held by rows not yet sealed; above it every buffered row is sealed.
    /// Default 64 MiB.
    public var headMemoryLimit: Int = 64 << 20
    /// A device-day with this many buffered rows is due for sealing into a chunk. Due
    /// device-days are sealed together, once 16 are due or one of them holds twice the limit
    /// (each commit costs several fsyncs), and all buffers on flush, close or the memory
    /// bound. Default 8192.
    public var chunkRowLimit: Int = 8192
    /// WAL segments roll over at this size. Default 64 MiB.
    public var walSegmentSize: Int = 64 << 20
    /// Automatic compaction: when a seal leaves a device-day with at least this many chunks
    /// more than its rows need at ``chunkRowLimit`` (small ingests, late rows), the writer
    /// rewrites that day's data file with every fragmented device-day of it merged (see
    /// ``Store/compact()``). 0 turns it off. Default 4.
    public var compactionTrigger: Int = 4

    /// The file system; tests substitute one that injects faults.
    var fileSystem: any FileSystem = PosixFileSystem()

    /// Default options.
    public init() {}

    /// Options with the given settings.
    public init(createIfMissing: Bool = true, sync: SyncPolicy = .default, duplicatePolicy: DuplicatePolicy = .last,
                headMemoryLimit: Int = 64 << 20, chunkRowLimit: Int = 8192) {
        self.createIfMissing = createIfMissing
        self.sync = sync
        self.duplicatePolicy = duplicatePolicy
        self.headMemoryLimit = headMemoryLimit
        self.chunkRowLimit = chunkRowLimit
    }
}
