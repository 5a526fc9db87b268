/// Appends framed records to the current WAL segment and rolls to a new segment when
/// the current one passes its size limit. Not thread-safe: the store's lock guards it.
final class WALWriter {
    let fileSystem: any FileSystem
    let directory: String
    let segmentSizeLimit: Int
    private(set) var segment: UInt64
    private var file: FileID
    private var offset: Int
    /// Bytes written since the last fsync.
    private(set) var unsyncedBytes = 0

    /// Starts a new segment numbered `segment` (which must not exist yet).
    init(fileSystem: any FileSystem, directory: String, segment: UInt64, segmentSizeLimit: Int) throws {
        self.fileSystem = fileSystem
        self.directory = directory
        self.segmentSizeLimit = segmentSizeLimit
        self.segment = segment
        (file, offset) = try WALWriter.create(fileSystem, directory, segment)
    }

    static func path(_ directory: String, _ segment: UInt64) -> String {
        directory + "/" + hex16(segment) + ".wal"
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

    /// Writes already framed records.
    func write(_ records: ByteWriter) throws {
        try records.bytes.withUnsafeBytes { try fileSystem.write(file, $0, at: offset) }
        offset += records.count
        unsyncedBytes += records.count
    }

    /// Whether this segment holds any record.
    var hasRecords: Bool { offset > FormatConstants.walHeaderSize }

    func sync() throws {
        guard unsyncedBytes > 0 else { return }
        try fileSystem.sync(file)
        unsyncedBytes = 0
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
