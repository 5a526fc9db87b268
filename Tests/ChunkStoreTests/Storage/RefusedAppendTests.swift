import Foundation
import Synchronization
import Testing
@testable import ChunkStore

/// An append the store refuses (its log write or fsync failed, say on a full disk) is not
/// stored: not after a restart either, even when some of its records reached the log
/// whole before the failure.
@Suite struct RefusedAppendTests {
    /// Passes everything to the real file system, except that once armed, a write to a
    /// WAL segment stores the first three quarters of its bytes and then fails with
    /// ENOSPC, and (with `failSync`) an fsync of a WAL segment fails with EIO.
    final class FillingFileSystem: PathTrackingFileSystem, @unchecked Sendable {
        let armed = Atomic<Bool>(false)
        let failSync: Bool

        init(failSync: Bool) { self.failSync = failSync }

        private func isWAL(_ file: FileID) -> Bool {
            armed.load(ordering: .sequentiallyConsistent) && (path(of: file)?.contains("/wal/") ?? false)
        }

        override func write(_ file: FileID, _ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
            if isWAL(file) && !failSync {
                try super.write(file, UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count * 3 / 4)]), at: offset)
                throw StoreError.io(path: "wal", operation: "write", reason: "No space left on device", errno: ENOSPC)
            }
            try super.write(file, bytes, at: offset)
        }
        override func sync(_ file: FileID) throws {
            if isWAL(file) && failSync { throw StoreError.io(path: "wal", operation: "fsync", reason: "I/O error", errno: EIO) }
            try super.sync(file)
        }
    }

    @Test(arguments: [false, true])
    func aRefusedAppendIsNotReplayed(failSync: Bool) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fs = FillingFileSystem(failSync: failSync)
        var options = StoreOptions()
        options.fileSystem = fs
        options.sync = .always
        let path = dir.child("s")
        let t0: Int64 = 1_767_225_600_000_000_000
        do {
            let store = try Store.open(at: path, options: options)
            try store.append([Row(device: "kept", timestamp: t0, fields: ["v": .int(1)])])
            fs.armed.store(true, ordering: .sequentiallyConsistent)
            // Many devices: many WAL records in one write, most of them whole before the cut.
            let refused = (0..<40).map { Row(device: "refused-\($0)", timestamp: t0 + Int64($0), fields: ["v": .int(Int64($0))]) }
            #expect(throws: StoreError.self) { try store.append(refused) }
            // The store, failed, refuses more writes; the writer is dropped without close.
            #expect(throws: StoreError.self) { try store.append([Row(device: "later", timestamp: t0, fields: ["v": .int(2)])]) }
        }
        fs.armed.store(false, ordering: .sequentiallyConsistent)
        let reopened = try Store.open(at: path)
        #expect(try reopened.devices().map(\.device) == ["kept"])
        try reopened.close()
    }
}
