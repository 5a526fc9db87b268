#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The real file system, through POSIX calls.
struct PosixFileSystem: FileSystem {
    private func failure(_ path: String, _ operation: String, _ code: Int32 = errno) -> StoreError {
        .io(path: path, operation: operation, reason: String(cString: strerror(code)), errno: code)
    }

    // Paths are remembered per descriptor only for error messages.
    private static let names = PathTable()

    func open(_ path: String, _ mode: OpenMode) throws -> FileID {
        var flags: Int32 = mode.contains(.write) ? (mode.contains(.read) ? O_RDWR : O_WRONLY) : O_RDONLY
        if mode.contains(.create) { flags |= O_CREAT }
        if mode.contains(.exclusive) { flags |= O_EXCL }
        if mode.contains(.truncate) { flags |= O_TRUNC }
        flags |= O_CLOEXEC
        let fd = systemOpen(path, flags, 0o644)
        if fd < 0 { throw failure(path, "open") }
        Self.names.set(fd, path)
        return FileID(raw: fd)
    }

    func close(_ file: FileID) {
        Self.names.remove(file.raw)
        _ = systemClose(file.raw)
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
        if durableSync(file.raw) != 0 { throw failure(Self.names.get(file.raw), "fsync") }
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
        if systemRename(from, to) != 0 { throw failure(from, "rename to \(to)") }
    }

    func remove(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT { throw failure(path, "unlink") }
    }

    func syncDirectory(_ path: String) throws {
        let fd = systemOpen(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0)
        if fd < 0 { throw failure(path, "open directory") }
        defer { _ = systemClose(fd) }
        if durableSync(fd) != 0 { throw failure(path, "fsync directory") }
    }

    func tryLock(_ path: String) throws -> FileID? {
        let fd = systemOpen(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw failure(path, "open lock file") }
        // flock locks belong to the open file description, so a second open in this
        // same process conflicts too; the kernel drops them when the process dies.
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            _ = systemClose(fd)
            if code == EWOULDBLOCK { return nil }
            throw failure(path, "flock", code)
        }
        return FileID(raw: fd)
    }

    func unlock(_ lock: FileID) {
        _ = flock(lock.raw, LOCK_UN)
        _ = systemClose(lock.raw)
    }
}

/// Descriptor-to-path table for error messages, indexed by descriptor (descriptors are
/// the smallest free numbers, so the array stays short). An array rather than a dictionary
/// keyed by `Int32`: a dictionary's first use costs every process a scan of the binary's
/// protocol conformances (for `Int32: Hashable`), a tenth of a cold `chunkstore query`.
private final class PathTable: Sendable {
    private let paths = Mutex<[String?]>([])

    func set(_ fd: Int32, _ path: String) {
        guard fd >= 0 else { return }
        let index = Int(fd)
        paths.withLock { paths in
            if paths.count <= index { paths.append(contentsOf: repeatElement(nil, count: index + 1 - paths.count)) }
            paths[index] = path
        }
    }

    func remove(_ fd: Int32) {
        let index = Int(fd)
        paths.withLock { paths in
            if index >= 0, index < paths.count { paths[index] = nil }
        }
    }

    func get(_ fd: Int32) -> String {
        let index = Int(fd)
        return paths.withLock { index >= 0 && index < $0.count ? $0[index] : nil } ?? "fd \(fd)"
    }
}

// The C calls whose names the file system's own methods shadow, and fsync as durable as the
// platform offers: on Darwin fsync only reaches the drive's cache, F_FULLFSYNC its media.
// Linux is what CI builds and tests; the Darwin branches follow the same POSIX calls.

private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    #if canImport(Darwin)
    Darwin.open(path, flags, mode)
    #elseif canImport(Musl)
    Musl.open(path, flags, mode)
    #else
    Glibc.open(path, flags, mode)
    #endif
}

private func systemClose(_ fd: Int32) -> Int32 {
    #if canImport(Darwin)
    Darwin.close(fd)
    #elseif canImport(Musl)
    Musl.close(fd)
    #else
    Glibc.close(fd)
    #endif
}

private func systemRename(_ from: String, _ to: String) -> Int32 {
    #if canImport(Darwin)
    Darwin.rename(from, to)
    #elseif canImport(Musl)
    Musl.rename(from, to)
    #else
    Glibc.rename(from, to)
    #endif
}

private func durableSync(_ fd: Int32) -> Int32 {
    #if canImport(Darwin)
    // Not every file system supports F_FULLFSYNC; plain fsync is then the best there is.
    if fcntl(fd, F_FULLFSYNC) == 0 { return 0 }
    #endif
    return fsync(fd)
}
