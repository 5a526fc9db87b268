/// How the store opens a file.
struct OpenMode: OptionSet, Sendable {
    let rawValue: Int
    static let read = OpenMode(rawValue: 1)
    static let write = OpenMode(rawValue: 2)
    /// Create the file if it does not exist.
    static let create = OpenMode(rawValue: 4)
    /// Fail if the file exists (with `create`).
    static let exclusive = OpenMode(rawValue: 8)
    static let truncate = OpenMode(rawValue: 16)
}

/// An open file of a ``FileSystem``: a plain descriptor number the file system gives meaning to.
struct FileID: Hashable, Sendable {
    let raw: Int32
}

/// Every operation the store performs on disk, so that tests can inject faults
/// (failed writes, torn writes, lost unsynced data) the way LevelDB's `Env` does.
///
/// Paths are absolute or relative to the process's working directory. Failures are
/// reported as ``StoreError/io(path:operation:reason:)`` naming the path.
protocol FileSystem: Sendable {
    func open(_ path: String, _ mode: OpenMode) throws -> FileID
    func close(_ file: FileID)
    /// Reads up to `buffer.count` bytes at `offset`; returns the count read (less at end of file).
    func read(_ file: FileID, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int
    /// Writes all of `bytes` at `offset`.
    func write(_ file: FileID, _ bytes: UnsafeRawBufferPointer, at offset: Int) throws
    func sync(_ file: FileID) throws
    func size(_ file: FileID) throws -> Int
    func truncate(_ file: FileID, to length: Int) throws
    /// Maps the first `length` bytes of the file read-only. `length` must be at least 1.
    func map(_ file: FileID, length: Int) throws -> MappedRegion

    func exists(_ path: String) -> Bool
    func makeDirectory(_ path: String) throws
    func list(_ directory: String) throws -> [String]
    func rename(_ from: String, to: String) throws
    func remove(_ path: String) throws
    /// Makes the directory's entries (creations, renames, removals) durable.
    func syncDirectory(_ path: String) throws
    /// Takes an exclusive advisory lock that conflicts with every other holder,
    /// in this process or another, and dies with the process. Returns nil when held elsewhere.
    func tryLock(_ path: String) throws -> FileID?
    func unlock(_ lock: FileID)
}

/// A read-only memory mapping; unmapped when the last reference goes away.
final class MappedRegion: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    private let release: @Sendable (UnsafeRawBufferPointer) -> Void

    init(bytes: UnsafeRawBufferPointer, release: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) {
        self.bytes = bytes
        self.release = release
    }

    deinit { release(bytes) }
}

extension FileSystem {
    /// Creates `path` and every missing parent, as `mkdir -p` does, and fsyncs the parent of
    /// each directory it created: a new directory's entry lives in its parent, so without
    /// that a power loss could take the new store away, appends acknowledged with `.always` too.
    func makeDirectories(_ path: String) throws {
        var missing: [String] = []
        var current = path
        while current != "." && current != "/" && !exists(current) {
            missing.append(current)
            current = StoreLayout.parentDirectory(of: current)
        }
        for directory in missing.reversed() {
            try makeDirectory(directory)
            try syncDirectory(StoreLayout.parentDirectory(of: directory))
        }
    }

    /// Reads a whole file.
    func readAll(_ path: String) throws -> [UInt8] {
        let file = try open(path, .read)
        defer { close(file) }
        let length = try size(file)
        var bytes = [UInt8](repeating: 0, count: length)
        var done = 0
        while done < length {
            let n = try bytes.withUnsafeMutableBytes { (buf) throws -> Int in
                try read(file, into: UnsafeMutableRawBufferPointer(rebasing: buf[done...]), at: done)
            }
            if n == 0 { break }
            done += n
        }
        return Array(bytes[0..<done])
    }

    /// Writes `bytes` to a new file `path` durably and atomically: write to `path.tmp`,
    /// fsync, rename over `path`, fsync the directory. `beforeRename` runs just before the
    /// rename: from then on a failure leaves it unknown whether `path` holds the new bytes.
    func writeAtomically(_ path: String, _ bytes: [UInt8], directory: String, beforeRename: () -> Void = {}) throws {
        let temp = path + ".tmp"
        let file = try open(temp, [.write, .create, .truncate])
        do {
            try bytes.withUnsafeBytes { (buf) throws in try write(file, buf, at: 0) }
            try sync(file)
        } catch {
            close(file)
            try? remove(temp)
            throw error
        }
        close(file)
        beforeRename()
        try rename(temp, to: path)
        try syncDirectory(directory)
    }
}
