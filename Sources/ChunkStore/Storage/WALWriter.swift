/// Appends framed records to the current WAL segment and rolls to a new segment when
/// the current one passes its size limit. Not thread-safe: the store's lock guards it.
final class WALWriter {
    let fileSystem: any FileSystem
    let directory: String
    let segmentSizeLimit: Int
    private(set) var segment: UInt64
    private var file: FileID
    private var offset: Int
    /// Bytes of the current segment known to be on stable storage.
    private var syncedOffset: Int
    /// Bytes written since the last fsync.
    var unsyncedBytes: Int { offset - syncedOffset }

    /// Starts a new segment numbered `segment` (which must not exist yet).
    init(fileSystem: any FileSystem, directory: String, segment: UInt64, segmentSizeLimit: Int) throws {
        self.fileSystem = fileSystem
        self.directory = directory
        self.segmentSizeLimit = segmentSizeLimit
        self.segment = segment
        (file, offset) = try WALWriter.create(fileSystem, directory, segment)
        syncedOffset = offset
    }

    static func path(_ directory: String, _ segment: UInt64) -> String {
        directory + "/" + StoreLayout.walSegmentName(segment)
    }

    private static func create(_ fs: any FileSystem, _ directory: String, _ segment: UInt64) throws -> (FileID, Int) {
        let file = try fs.open(path(directory, segment), [.write, .create, .exclusive])
        var header = ByteWriter()
        header.appendU32(FormatConstants.walMagic)
        header.appendU16(FormatConstants.walVersion)
        header.appendU16(0)
        header.appendU64(segment)
        header.appendU32(CRC32C.checksum(header.bytes))
        do {
            try header.bytes.withUnsafeBytes { try fs.write(file, $0, at: 0) }
            try fs.sync(file)
            try fs.syncDirectory(directory)
        } catch {
            fs.close(file)
            throw error
        }
        return (file, header.count)
    }

    /// Writes already framed records, and fsyncs them when `sync` is set.
    ///
    /// On failure the segment is cut back to where the write began: a refused append must
    /// not come back on replay. A write that fills the disk may have stored some of its
    /// records whole before failing, and those would otherwise be replayed after a
    /// restart, as part of an append the caller was told failed. (If the cut fails too,
    /// the store is failed anyway and the next writer's replay decides.)
    func write(_ records: ByteWriter, sync: Bool = false) throws {
        let start = offset
        do {
            try records.bytes.withUnsafeBytes { try fileSystem.write(file, $0, at: start) }
            offset += records.count
            if sync { try self.sync() }
        } catch {
            offset = start
            syncedOffset = min(syncedOffset, start)
            if (try? fileSystem.truncate(file, to: start)) != nil { try? fileSystem.sync(file) }
            throw error
        }
    }

    /// Whether this segment holds any record.
    var hasRecords: Bool { offset > FormatConstants.walHeaderSize }

    func sync() throws {
        guard unsyncedBytes > 0 else { return }
        try fileSystem.sync(file)
        syncedOffset = offset
    }

    /// For an fsync run outside the store's lock (the interval timer's): the current
    /// segment, its path and the offset an fsync begun now covers; nil when all is synced.
    func pendingSync() -> (segment: UInt64, path: String, upTo: Int)? {
        guard unsyncedBytes > 0 else { return nil }
        return (segment, WALWriter.path(directory, segment), offset)
    }

    /// Records that an fsync begun after ``pendingSync()`` completed.
    func didSync(segment: UInt64, upTo: Int) {
        if segment == self.segment { syncedOffset = max(syncedOffset, upTo) }
    }

    /// Starts the next segment if this one is full. The old segment is fsynced first.
    func rollIfFull() throws {
        guard offset >= segmentSizeLimit else { return }
        try roll()
    }

    /// Fsyncs and closes this segment and starts the next one.
    func roll() throws {
        try sync()
        let next = segment + 1
        let (newFile, newOffset) = try WALWriter.create(fileSystem, directory, next)
        fileSystem.close(file)
        file = newFile
        offset = newOffset
        syncedOffset = newOffset
        segment = next
    }

    func close() {
        fileSystem.close(file)
    }
}

/// A 16-digit lowercase hex rendering, for file names that sort by number.
func hex16(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}
