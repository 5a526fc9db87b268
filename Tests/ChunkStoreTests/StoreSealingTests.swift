import Dispatch
import Foundation
import Synchronization
import Testing
@testable import ChunkStore

/// Sealing runs beside appends (Store+Sealing.swift): an append never waits for a seal's
/// or a compaction's disk work, queries see the rows being sealed, and a seal that fails
/// in the background loses nothing and doubles nothing.
@Suite struct StoreSealingTests {
    /// Passes everything to the real file system, except that while `gated`, an fsync of a
    /// data file waits until ``release()`` (signalling `entered` first), and while
    /// `failing`, a write to a data file fails with ENOSPC (counted in `failures`).
    final class GatedFileSystem: PathTrackingFileSystem, @unchecked Sendable {
        let gated = Atomic<Bool>(false)
        let failing = Atomic<Bool>(false)
        let failures = Atomic<Int>(0)
        let entered = DispatchSemaphore(value: 0)
        private let gate = DispatchSemaphore(value: 0)

        private func isData(_ file: FileID) -> Bool {
            path(of: file)?.contains("/data/") ?? false
        }

        func release() {
            gated.store(false, ordering: .sequentiallyConsistent)
            gate.signal()
        }

        override func write(_ file: FileID, _ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
            if failing.load(ordering: .sequentiallyConsistent) && isData(file) {
                failures.add(1, ordering: .sequentiallyConsistent)
                throw StoreError.io(path: "data", operation: "write", reason: "No space left on device", errno: ENOSPC)
            }
            try super.write(file, bytes, at: offset)
        }
        override func sync(_ file: FileID) throws {
            if gated.load(ordering: .sequentiallyConsistent) && isData(file) {
                entered.signal()
                gate.wait()
            }
            try super.sync(file)
        }
    }

    static let start: Int64 = 1_767_225_600 * 1_000_000_000

    /// `rows` rows of `device`, one a second from `first` seconds past ``start``.
    static func batch(_ device: String, first: Int, rows: Int) -> ColumnBatch {
        let ts = (first..<first + rows).map { start + Int64($0) * 1_000_000_000 }
        return ColumnBatch(device: device, timestamps: ts, columns: [.init(name: "v", values: .int(ts.map { $0 / 1_000_000_000 }))])
    }

    static func options(_ fs: GatedFileSystem) -> StoreOptions {
        var options = StoreOptions(sync: .none, chunkRowLimit: 100)
        options.fileSystem = fs
        return options
    }

    /// Runs `body` on another thread; false when it has not returned within a minute (it
    /// is blocked: the failure being tested for), so the test fails instead of hanging.
    static func returns(_ body: @escaping @Sendable () throws -> Void) -> Bool {
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? body()
            done.signal()
        }
        return done.wait(timeout: .now() + 60) == .success
    }

    @Test func appendsAndQueriesGoOnWhileASealWaitsForTheDisk() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fs = GatedFileSystem()
        let store = try Store.open(at: dir.path, options: Self.options(fs))
        fs.gated.store(true, ordering: .sequentiallyConsistent)
        // 16 device-days at the row limit: a seal is due and starts in the background.
        let filled = Self.returns {
            for d in 0..<StoreWriter.sealGroupSize { try store.append(Self.batch("m\(d)", first: 0, rows: 100)) }
        }
        #expect(filled, "the append that made a seal due waited for it")
        #expect(fs.entered.wait(timeout: .now() + 60) == .success, "the background seal never reached the data file's fsync")

        // The seal now holds the commit lock and waits on the disk; appends and queries must not.
        let appended = Self.returns {
            try store.append(Self.batch("m0", first: 100, rows: 50))
            try store.append(Self.batch("other", first: 0, rows: 10))
        }
        #expect(appended, "an append waited for a seal's fsync")
        let answers = Locked<[Int]>([])
        let queried = Self.returns {
            let counts = [try store.range(device: "m0").count, try store.range(device: "m15").count, try store.info().headRows]
            answers.withLock { $0 = counts }
        }
        #expect(queried, "a query waited for a seal's fsync")
        #expect(answers.withLock { $0 } == [150, 100, 16 * 100 + 60])
        fs.release()

        try store.flush()
        let info = try store.info()
        #expect(info.headRows == 0)
        #expect(info.rows == 16 * 100 + 60)
        #expect(try store.range(device: "m0").timestamps == (0..<150).map { Self.start + Int64($0) * 1_000_000_000 })
        try store.close()

        let reopened = try Store.open(at: dir.path, options: StoreOptions(sync: .none, chunkRowLimit: 100))
        defer { try? reopened.close() }
        #expect(try reopened.info().rows == 16 * 100 + 60)
        #expect(reopened.recoveryReport.rowsRecovered == 0)
    }

    @Test func aFailedBackgroundSealKeepsEveryRowOnce() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fs = GatedFileSystem()
        let store = try Store.open(at: dir.path, options: Self.options(fs))
        fs.failing.store(true, ordering: .sequentiallyConsistent)
        for d in 0..<StoreWriter.sealGroupSize { try store.append(Self.batch("m\(d)", first: 0, rows: 100)) }
        // Wait for the background seal's failed write.
        let deadline = Date().addingTimeInterval(60)
        while fs.failures.load(ordering: .sequentiallyConsistent) == 0 && Date() < deadline { usleep(1_000) }
        #expect(fs.failures.load(ordering: .sequentiallyConsistent) > 0, "no background seal was attempted")

        // The rows went back to the head: still visible, and appends still succeed.
        try store.append(Self.batch("m0", first: 100, rows: 5))
        #expect(try store.range(device: "m0").count == 105)
        #expect(try store.info().chunks == 0)
        #expect(throws: StoreError.self) { try store.flush() }

        fs.failing.store(false, ordering: .sequentiallyConsistent)
        try store.flush()
        let info = try store.info()
        #expect(info.rows == 16 * 100 + 5)
        #expect(info.headRows == 0)
        #expect(try store.range(device: "m0").timestamps == (0..<105).map { Self.start + Int64($0) * 1_000_000_000 })
        try store.close()

        let reopened = try Store.open(at: dir.path, options: StoreOptions(sync: .none, chunkRowLimit: 100))
        defer { try? reopened.close() }
        #expect(try reopened.info().rows == 16 * 100 + 5)
        #expect(try reopened.range(device: "m7").count == 100)
    }

    @Test func appendsGoOnWhileAnAutomaticCompactionWaitsForTheDisk() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fs = GatedFileSystem()
        var options = Self.options(fs)
        options.compactionTrigger = 2
        let store = try Store.open(at: dir.path, options: options)
        // Small flushed ingests of one device-day: the third leaves two chunks too many and
        // is compacted to one; the fourth leaves two.
        for i in 0..<4 {
            try store.append(Self.batch("m", first: i * 10, rows: 10))
            try store.flush()
        }
        #expect(try store.info().chunks == 2)

        // The fifth flush seals (one data-file fsync, let through), then compacts (gated).
        try store.append(Self.batch("m", first: 40, rows: 10))
        fs.gated.store(true, ordering: .sequentiallyConsistent)
        let flushed = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? store.flush()
            flushed.signal()
        }
        #expect(fs.entered.wait(timeout: .now() + 60) == .success, "the seal never reached the data file's fsync")
        fs.release()
        fs.gated.store(true, ordering: .sequentiallyConsistent)
        #expect(fs.entered.wait(timeout: .now() + 60) == .success, "no compaction followed the seal")

        let seen = Locked(0)
        let appended = Self.returns {
            try store.append(Self.batch("n", first: 0, rows: 3))
            let count = try store.range(device: "m").count
            seen.withLock { $0 = count }
        }
        #expect(appended, "an append or a query waited for a compaction's fsync")
        #expect(seen.withLock { $0 } == 50)
        fs.release()
        #expect(flushed.wait(timeout: .now() + 60) == .success)

        #expect(try store.info().chunks == 1)
        try store.flush()
        #expect(try store.range(device: "m").count == 50)
        #expect(try store.range(device: "n").count == 3)
        try store.close()
    }
}
