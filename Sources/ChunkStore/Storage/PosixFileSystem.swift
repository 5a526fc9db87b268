#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The real file system, through POSIX calls.
struct PosixFileSystem: FileSystem {
    private func failure(_ path: String, _ operation: String, _ code: Int32 = errno) -> StoreError {
        .io(path: path, operation: operation, reason: String(cString: strerror(code)))
    }

    // Paths are remembered per descriptor only for error messages.
    private static let names = PathTable()

    func open(_ path: String, _ mode: OpenMode) throws -> FileID {
        var flags: Int32 = mode.contains(.write) ? (mode.contains(.read) ? O_RDWR : O_WRONLY) : O_RDONLY
        if mode.contains(.create) { flags |= O_CREAT }
        if mode.contains(.exclusive) { flags |= O_EXCL }
        if mode.contains(.truncate) { flags |= O_TRUNC }
        flags |= O_CLOEXEC
        let fd = Glibc.open(path, flags, 0o644)
        if fd < 0 { throw failure(path, "open") }
        Self.names.set(fd, path)
        return FileID(raw: fd)
    }

    func close(_ file: FileID) {
        Self.names.remove(file.raw)
        _ = Glibc.close(file.raw)
    }

    func read(_ file: FileID, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(file.raw, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(Self.names.get(file.raw), "read")
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    func write(_ file: FileID, _ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(file.raw, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(Self.names.get(file.raw), "write")
            }
            done += n
        }
    }

    func sync(_ file: FileID) throws {
        if fsync(file.raw) != 0 { throw failure(Self.names.get(file.raw), "fsync") }
    }

    func size(_ file: FileID) throws -> Int {
        var st = stat()
        if fstat(file.raw, &st) != 0 { throw failure(Self.names.get(file.raw), "stat") }
        return Int(st.st_size)
    }

    func truncate(_ file: FileID, to length: Int) throws {
        if ftruncate(file.raw, off_t(length)) != 0 { throw failure(Self.names.get(file.raw), "truncate") }
    }

    func map(_ file: FileID, length: Int) throws -> MappedRegion {
        guard let base = mmap(nil, length, PROT_READ, MAP_SHARED, file.raw, 0), base != MAP_FAILED else {
            throw failure(Self.names.get(file.raw), "mmap")
        }
        let bytes = UnsafeRawBufferPointer(start: base, count: length)
        return MappedRegion(bytes: bytes) { region in
            _ = munmap(UnsafeMutableRawPointer(mutating: region.baseAddress), region.count)
        }
    }

    func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw failure(path, "mkdir") }
    }

    func list(_ directory: String) throws -> [String] {
        guard let dir = opendir(directory) else { throw failure(directory, "opendir") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    func rename(_ from: String, to: String) throws {
        if Glibc.rename(from, to) != 0 { throw failure(from, "rename to \(to)") }
    }

    func remove(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT { throw failure(path, "unlink") }
    }

    func syncDirectory(_ path: String) throws {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw failure(path, "open directory") }
        defer { _ = Glibc.close(fd) }
        if fsync(fd) != 0 { throw failure(path, "fsync directory") }
    }

    func tryLock(_ path: String) throws -> FileID? {
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw failure(path, "open lock file") }
        // flock locks belong to the open file description, so a second open in this
        // same process conflicts too; the kernel drops them when the process dies.
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            _ = Glibc.close(fd)
            if code == EWOULDBLOCK { return nil }
            throw failure(path, "flock", code)
        }
        return FileID(raw: fd)
    }

    func unlock(_ lock: FileID) {
        _ = flock(lock.raw, LOCK_UN)
        _ = Glibc.close(lock.raw)
    }
}

/// Descriptor-to-path table for error messages.
private final class PathTable: @unchecked Sendable {
    private var paths: [Int32: String] = [:]
    private var lock = pthread_mutex_t()

    init() { pthread_mutex_init(&lock, nil) }

    func set(_ fd: Int32, _ path: String) {
        pthread_mutex_lock(&lock); paths[fd] = path; pthread_mutex_unlock(&lock)
    }

    func remove(_ fd: Int32) {
        pthread_mutex_lock(&lock); paths[fd] = nil; pthread_mutex_unlock(&lock)
    }

    func get(_ fd: Int32) -> String {
        pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }
        return paths[fd] ?? "fd \(fd)"
    }
}
