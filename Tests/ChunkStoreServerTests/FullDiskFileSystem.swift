import Foundation
import Synchronization
@testable import ChunkStore

/// The store's real file system, until ``fill()``: from then on every write fails with
/// ENOSPC, as on a disk that has filled, naming the file it could not grow.
final class FullDiskFileSystem: FileSystem {
    private let base = PosixFileSystem()
    private let full = Atomic<Bool>(false)
    private let names = Mutex<[Int32: String]>([:])

    /// The disk is full from now on.
    func fill() { full.store(true, ordering: .sequentiallyConsistent) }

    func open(_ path: String, _ mode: OpenMode) throws -> FileID {
        let file = try base.open(path, mode)
        names.withLock { $0[file.raw] = path }
        return file
    }

    func close(_ file: FileID) {
        names.withLock { $0[file.raw] = nil }
        base.close(file)
    }

    func write(_ file: FileID, _ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        if full.load(ordering: .sequentiallyConsistent) {
            let path = names.withLock { $0[file.raw] } ?? "?"
            throw StoreError.io(path: path, operation: "write", reason: String(cString: strerror(ENOSPC)), errno: ENOSPC)
        }
        try base.write(file, bytes, at: offset)
    }

    func read(_ file: FileID, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        try base.read(file, into: buffer, at: offset)
    }
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
