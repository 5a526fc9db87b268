import Foundation
@testable import ChunkStore

/// A ``FileSystem`` for tests: real files under `root` through ``PosixFileSystem``, plus
///
/// - **operation counting and fault injection**: every mutating operation (opening for
///   writing, write, fsync, truncate, mkdir, rename, unlink, directory fsync, taking the
///   lock) gets a number from 0; the operation numbered `faultAt` fails with the chosen
///   ``Fault`` (and, when `sticky`, so does every later one);
/// - **a power-loss model**: it remembers, per file, the content as of its last fsync and,
///   per directory, the entries as of its last directory fsync. ``powerLoss()`` rewrites
///   the tree under `root` to exactly that durable state: unsynced bytes vanish, files
///   whose entry was never made durable disappear, renames and unlinks that were not
///   followed by a directory fsync are undone.
///
/// Everything the store touches must live under `root`, and the store must be dropped
/// (its descriptors closed) before ``powerLoss()``. Because durability is modelled here,
/// fsync is not passed to the disk (which keeps thousands of runs fast).
final class FaultyFileSystem: FileSystem, @unchecked Sendable {
    enum Fault: String, CaseIterable, Sendable {
        /// The operation fails with EIO and has no effect.
        case eio
        /// The operation fails with ENOSPC and has no effect.
        case enospc
        /// A write stores only the first half of its bytes, then fails with EIO
        /// (applies to writes only).
        case tornWrite
        /// An fsync (of a file or directory) fails with EIO and makes nothing durable
        /// (applies to syncs only).
        case failedSync
        /// The machine stops right after this operation: it completes, every later
        /// mutating operation fails, and the test is expected to call ``powerLoss()``.
        case powerLoss
    }

    enum Kind: String, Sendable {
        case open, write, sync, truncate, mkdir, rename, remove, syncDirectory, lock
    }

    /// One inode: its content as of the last fsync. Directories have none.
    private final class Node {
        let isDirectory: Bool
        var synced: [UInt8]
        init(isDirectory: Bool, synced: [UInt8] = []) {
            self.isDirectory = isDirectory
            self.synced = synced
        }
    }

    let root: String
    private let base = PosixFileSystem()
    private let mutex = NSLock()

    // Guarded by `mutex`.
    private var count = 0
    private var kinds: [Kind] = []
    private var faultAt: Int?
    private var fault: Fault = .eio
    private var sticky = false
    private var crashed = false
    private var injected = 0
    private var syncs: [(path: String, at: Date)] = []
    /// Every path under `root` as it is now, and as it would be after a power loss.
    private var current: [String: Node] = [:]
    private var durable: [String: Node] = [:]
    private var openFiles: [Int32: Node] = [:]

    /// Starts with everything already under `root` taken as durable.
    init(root: String) {
        self.root = FaultyFileSystem.normalize(root)
        let manager = FileManager.default
        if let names = manager.enumerator(atPath: self.root) {
            for case let name as String in names {
                let path = self.root + "/" + name
                var isDirectory: ObjCBool = false
                _ = manager.fileExists(atPath: path, isDirectory: &isDirectory)
                let content = isDirectory.boolValue ? [] : [UInt8](manager.contents(atPath: path) ?? Data())
                let node = Node(isDirectory: isDirectory.boolValue, synced: content)
                current[path] = node
                durable[path] = node
            }
        }
    }

    /// Arms a fault for mutating operation number `index` (counting from 0 since creation).
    func inject(_ fault: Fault, at index: Int, sticky: Bool = false) {
        locked {
            self.fault = fault
            faultAt = index
            self.sticky = sticky
        }
    }

    /// Mutating operations so far.
    var operationCount: Int { locked { count } }
    /// The kind of every mutating operation so far, in order.
    var operationKinds: [Kind] { locked { kinds } }
    /// How many operations failed because of an armed fault.
    var faultsInjected: Int { locked { injected } }

    // MARK: Power loss

    /// Rewrites the tree under `root` to its durable state: every file with its content as of
    /// its last fsync, every directory with the entries of its last directory fsync (an entry
    /// survives only if all its ancestors do). Clears any armed fault and the crash.
    func powerLoss() {
        // A dropped store closes its files when its last reference goes, and a sync-timer
        // handler or background seal in flight holds one a moment longer: wait for it
        // (bounded), then insist.
        let deadline = Date().addingTimeInterval(10)
        while locked({ !openFiles.isEmpty }) && Date() < deadline { usleep(1_000) }
        locked {
            precondition(openFiles.isEmpty, "drop the store (close its files) before simulating power loss")
            var surviving: [String: Node] = [:]
            for (path, node) in durable where ancestorsSurvive(path) {
                surviving[path] = node
            }
            let manager = FileManager.default
            for name in (try? manager.contentsOfDirectory(atPath: root)) ?? [] {
                try? manager.removeItem(atPath: root + "/" + name)
            }
            for path in surviving.keys.sorted(by: { $0.count < $1.count }) {
                let node = surviving[path]!
                if node.isDirectory {
                    try? manager.createDirectory(atPath: path, withIntermediateDirectories: false)
                } else {
                    _ = manager.createFile(atPath: path, contents: Data(node.synced))
                }
            }
            current = surviving
            durable = surviving
            faultAt = nil
            crashed = false
        }
    }

    private func ancestorsSurvive(_ path: String) -> Bool {
        var parent = FaultyFileSystem.parent(of: path)
        while parent != root {
            guard let node = durable[parent], node.isDirectory else { return false }
            parent = FaultyFileSystem.parent(of: parent)
        }
        return true
    }

    // MARK: FileSystem

    func open(_ path: String, _ mode: OpenMode) throws -> FileID {
        let path = FaultyFileSystem.normalize(path)
        let mutating = mode.contains(.write) || mode.contains(.create)
        if mutating { try begin(.open, path) }
        let file = try base.open(path, mode)
        locked {
            let node: Node
            if let existing = current[path] {
                node = existing
            } else {
                node = Node(isDirectory: false)
                current[path] = node
            }
            openFiles[file.raw] = node
        }
        return file
    }

    func close(_ file: FileID) {
        locked { openFiles[file.raw] = nil }
        base.close(file)
    }

    func read(_ file: FileID, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        try base.read(file, into: buffer, at: offset)
    }

    func write(_ file: FileID, _ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        if let error = try begin(.write, name(of: file), tornAllowed: true) {
            // A torn write: a prefix reaches the file, then the error.
            try base.write(file, UnsafeRawBufferPointer(rebasing: bytes[0..<(bytes.count / 2)]), at: offset)
            throw error
        }
        try base.write(file, bytes, at: offset)
    }

    func sync(_ file: FileID) throws {
        try begin(.sync, name(of: file))
        // The descriptor may be write-only and its name may have changed: reopen it
        // through /proc to read what an fsync would make durable. What was written before
        // the fsync began is durable once it returns; a write racing with it may or may not be.
        let began = Date()
        let content = try Data(contentsOf: URL(fileURLWithPath: "/proc/self/fd/\(file.raw)"))
        let path = name(of: file)
        locked {
            openFiles[file.raw]?.synced = [UInt8](content)
            syncs.append((path, began))
        }
    }

    /// Every fsync of a file that succeeded: the file's path and when it began (everything
    /// written before then is durable).
    var completedSyncs: [(path: String, at: Date)] { locked { syncs } }

    func size(_ file: FileID) throws -> Int {
        try base.size(file)
    }

    func truncate(_ file: FileID, to length: Int) throws {
        try begin(.truncate, name(of: file))
        try base.truncate(file, to: length)
    }

    func map(_ file: FileID, length: Int) throws -> MappedRegion {
        try base.map(file, length: length)
    }

    func exists(_ path: String) -> Bool {
        base.exists(path)
    }

    func makeDirectory(_ path: String) throws {
        let path = FaultyFileSystem.normalize(path)
        try begin(.mkdir, path)
        try base.makeDirectory(path)
        locked {
            if current[path] == nil { current[path] = Node(isDirectory: true) }
        }
    }

    func list(_ directory: String) throws -> [String] {
        try base.list(directory)
    }

    func rename(_ from: String, to: String) throws {
        let from = FaultyFileSystem.normalize(from), to = FaultyFileSystem.normalize(to)
        try begin(.rename, from)
        try base.rename(from, to: to)
        locked {
            precondition(current[from]?.isDirectory != true, "renaming directories is not modelled")
            current[to] = current[from]
            current[from] = nil
        }
    }

    func remove(_ path: String) throws {
        let path = FaultyFileSystem.normalize(path)
        try begin(.remove, path)
        try base.remove(path)
        locked { current[path] = nil }
    }

    func syncDirectory(_ path: String) throws {
        let path = FaultyFileSystem.normalize(path)
        try begin(.syncDirectory, path)
        guard base.exists(path) else {
            throw StoreError.io(path: path, operation: "open directory", reason: "No such file or directory", errno: ENOENT)
        }
        locked {
            for key in durable.keys where FaultyFileSystem.parent(of: key) == path { durable[key] = nil }
            for (key, node) in current where FaultyFileSystem.parent(of: key) == path { durable[key] = node }
        }
    }

    func tryLock(_ path: String) throws -> FileID? {
        let path = FaultyFileSystem.normalize(path)
        try begin(.lock, path)
        guard let lock = try base.tryLock(path) else { return nil }
        locked {
            if current[path] == nil { current[path] = Node(isDirectory: false) }
        }
        return lock
    }

    func unlock(_ lock: FileID) {
        base.unlock(lock)
    }

    // MARK: Faults

    /// Numbers a mutating operation and throws if a fault is armed for it. For a torn
    /// write it instead returns the error to throw after writing a prefix.
    @discardableResult
    private func begin(_ kind: Kind, _ path: String, tornAllowed: Bool = false) throws -> StoreError? {
        try locked { () throws -> StoreError? in
            let index = count
            count += 1
            kinds.append(kind)
            if crashed {
                throw StoreError.io(path: path, operation: kind.rawValue, reason: "machine is off (simulated power loss)", errno: EIO)
            }
            guard let at = faultAt, index == at || (sticky && index > at) else { return nil }
            let eio = StoreError.io(path: path, operation: kind.rawValue, reason: "Input/output error (injected)", errno: EIO)
            switch fault {
            case .eio:
                injected += 1
                throw eio
            case .enospc:
                injected += 1
                throw StoreError.io(path: path, operation: kind.rawValue, reason: "No space left on device (injected)", errno: ENOSPC)
            case .tornWrite:
                guard kind == .write, tornAllowed else { return nil }
                injected += 1
                return eio
            case .failedSync:
                guard kind == .sync || kind == .syncDirectory else { return nil }
                injected += 1
                throw eio
            case .powerLoss:
                // This operation completes; the machine stops after it.
                injected += 1
                crashed = true
                return nil
            }
        }
    }

    private func name(of file: FileID) -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(file.raw)")) ?? "fd \(file.raw)"
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        mutex.lock()
        defer { mutex.unlock() }
        return try body()
    }

    private static func normalize(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        while p.contains("//") { p = p.replacingOccurrences(of: "//", with: "/") }
        return p
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
