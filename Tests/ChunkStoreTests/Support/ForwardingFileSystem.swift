import Synchronization
@testable import ChunkStore

/// The real file system, every call passed through: the base of test file systems that
/// intercept a few calls (override them, and call `super` to go through).
class ForwardingFileSystem: FileSystem, @unchecked Sendable {
    let base = PosixFileSystem()

    func open(_ path: String, _ mode: OpenMode) throws -> FileID { try base.open(path, mode) }
    func close(_ file: FileID) { base.close(file) }
    func read(_ file: FileID, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        try base.read(file, into: buffer, at: offset)
    }
    func write(_ file: FileID, _ bytes: UnsafeRawBufferPointer, at offset: Int) throws { try base.write(file, bytes, at: offset) }
    func sync(_ file: FileID) throws { try base.sync(file) }
    func size(_ file: FileID) throws -> Int { try base.size(file) }
    func truncate(_ file: FileID, to length: Int) throws { try base.truncate(file, to: length) }
    func map(_ file: FileID, length: Int) throws -> MappedRegion { try base.map(file, length: length) }
    func exists(_ path: String) -> Bool { base.exists(path) }
    func makeDirectory(_ path: String) throws { try base.makeDirectory(path) }
    func list(_ directory: String) throws -> [String] { try base.list(directory) }
    func rename(_ from: String, to: String) throws { try base.rename(from, to: to) }
    func remove(_ path: String) throws { try base.remove(path) }
    func syncDirectory(_ path: String) throws { try base.syncDirectory(path) }
    func tryLock(_ path: String) throws -> FileID? { try base.tryLock(path) }
    func unlock(_ lock: FileID) { base.unlock(lock) }
}

/// A forwarding file system that remembers the path of every open descriptor: the base of
/// test file systems that intercept calls on some files only (the WAL, the data files).
class PathTrackingFileSystem: ForwardingFileSystem, @unchecked Sendable {
    private let names = Mutex<[Int32: String]>([:])

    /// The path `file` was opened with, nil once closed.
    func path(of file: FileID) -> String? { names.withLock { $0[file.raw] } }

    override func open(_ path: String, _ mode: OpenMode) throws -> FileID {
        let file = try super.open(path, mode)
        names.withLock { $0[file.raw] = path }
        return file
    }
    override func close(_ file: FileID) {
        names.withLock { $0[file.raw] = nil }
        super.close(file)
    }
}
