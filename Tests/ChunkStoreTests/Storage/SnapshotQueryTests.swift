import Foundation
import Testing
@testable import ChunkStore

/// Queries run on a snapshot outside the store's lock, and the interval timer fsyncs the
/// WAL outside it (issue 10, "readers never wait for the writer"): an append completes
/// while a query is stuck inside a read or the timer inside an fsync, and queries on many
/// threads see whole appends while the writer appends, seals and compacts.
@Suite struct SnapshotQueryTests {
    /// The real file system, with reads and mappings of data files held at a gate while it is closed.
    final class GatedFileSystem: ForwardingFileSystem, @unchecked Sendable {
        let gate = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var closed = false
        private var dataFiles = Set<Int32>()
        /// When set, an fsync of a WAL segment through a read-only descriptor (the timer's) waits at the gate.
        private var holdWALSync = false

        func holdTheNextWALSync() { lock.withLock { holdWALSync = true } }

        func closeGate() { lock.withLock { closed = true } }
        func openGate() {
            lock.withLock { closed = false }
            gate.signal()
        }
        func release() { gate.signal() }

        override func open(_ path: String, _ mode: OpenMode) throws -> FileID {
            let file = try super.open(path, mode)
            if path.hasSuffix(".csd") && !mode.contains(.write) { lock.withLock { _ = dataFiles.insert(file.raw) } }
            if path.hasSuffix(".wal") && !mode.contains(.write) { lock.withLock { _ = walReaders.insert(file.raw) } }
            return file
        }
        override func close(_ file: FileID) {
            lock.withLock {
                dataFiles.remove(file.raw)
                walReaders.remove(file.raw)
            }
            super.close(file)
        }
        override func read(_ file: FileID, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
            let held = lock.withLock { closed && dataFiles.contains(file.raw) }
            if held {
                entered.signal()
                gate.wait()
            }
            return try super.read(file, into: buffer, at: offset)
        }
        /// Queries map data files rather than read them: a mapping waits at the gate too.
        override func map(_ file: FileID, length: Int) throws -> MappedRegion {
            let held = lock.withLock { closed && dataFiles.contains(file.raw) }
            if held {
                entered.signal()
                gate.wait()
            }
            return try super.map(file, length: length)
        }
        override func sync(_ file: FileID) throws {
            let held = lock.withLock { () -> Bool in
                guard holdWALSync, walReaders.contains(file.raw) else { return false }
                holdWALSync = false
                return true
            }
            if held {
                entered.signal()
                gate.wait()
            }
            try super.sync(file)
        }
        private var walReaders = Set<Int32>()
    }

    static let start: Int64 = 20_454 * 86_400_000_000_000

    @Test func anAppendCompletesWhileAQueryIsStuckInARead() throws {
        let dir = TemporaryDirectory("snapshot")
        defer { dir.remove() }
        let fs = GatedFileSystem()
        var options = StoreOptions(sync: .none)
        options.fileSystem = fs
        let store = try Store.open(at: dir.child("s"), options: options)
        try store.append((0..<100).map { Row(device: "a", timestamp: Self.start + Int64($0), fields: ["v": .float(Double($0))]) })
        try store.flush()

        fs.closeGate()
        let queried = DispatchSemaphore(value: 0)
        let count = Locked(0)
        DispatchQueue.global().async {
            let rows = (try? store.range(device: "a").timestamps.count) ?? -1
            count.withLock { $0 = rows }
            queried.signal()
        }
        fs.entered.wait()  // the query is now inside a read (or mapping) of a data file
        // With the query holding the store's lock this would wait for ever; the generous
        // deadline only turns such a deadlock into a failure instead of a hung suite.
        let appended = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? store.append([Row(device: "a", timestamp: Self.start + 1_000, fields: ["v": .float(1)])])
            appended.signal()
        }
        let appendFinished = appended.wait(timeout: .now() + 30) == .success
        #expect(appendFinished, "an append waited for a query")
        fs.openGate()
        queried.wait()
        if !appendFinished { appended.wait() }
        #expect(count.withLock { $0 } == 100, "the query answers from its snapshot, without the later append")
        #expect(try store.range(device: "a").timestamps.count == 101)
        try store.close()
    }

    @Test func anAppendCompletesWhileTheTimerFsyncsTheWAL() throws {
        let dir = TemporaryDirectory("snapshot")
        defer { dir.remove() }
        let fs = GatedFileSystem()
        var options = StoreOptions(sync: .interval(milliseconds: 5))
        options.fileSystem = fs
        let store = try Store.open(at: dir.child("s"), options: options)
        fs.holdTheNextWALSync()
        try store.append([Row(device: "a", timestamp: Self.start, fields: ["v": .float(0)])])
        fs.entered.wait()  // the timer is inside its fsync
        let appended = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? store.append([Row(device: "a", timestamp: Self.start + 1, fields: ["v": .float(1)])])
            appended.signal()
        }
        // A deadlock detector, not a timing assertion: without it a regression hangs the suite.
        let appendFinished = appended.wait(timeout: .now() + 30) == .success
        #expect(appendFinished, "an append waited for the timer's fsync")
        fs.release()
        if !appendFinished { appended.wait() }
        #expect(try store.range(device: "a").count == 2)
        try store.close()
    }

    @Test func parallelQueriesSeeWholeAppendsWhileTheWriterSealsAndCompacts() throws {
        let dir = TemporaryDirectory("snapshot")
        defer { dir.remove() }
        var options = StoreOptions(sync: .none, chunkRowLimit: 64)
        options.compactionTrigger = 2
        let store = try Store.open(at: dir.child("s"), options: options)
        let batches = 300, rows = 10
        let failures = Locked<[String]>([])
        let done = Locked(false)
        let group = DispatchGroup()
        for q in 0..<3 {
            DispatchQueue.global().async(group: group) {
                var seen = 0
                while !done.withLock({ $0 }) {
                    do {
                        let result = try store.range(device: "a")
                        guard result.count % rows == 0, result.count >= seen else {
                            failures.withLock { $0.append("query \(q): \(result.count) rows after \(seen)") }
                            return
                        }
                        seen = result.count
                    } catch {
                        failures.withLock { $0.append("query \(q): \(error)") }
                        return
                    }
                }
            }
        }
        for b in 0..<batches {
            try store.append((0..<rows).map { i in
                Row(device: "a", timestamp: Self.start + Int64(b * rows + i) * 1_000_000_000, fields: ["v": .float(Double(b))])
            })
            if b % 7 == 6 { try store.flush() }
            if b % 50 == 49 { _ = try store.compact() }
        }
        done.withLock { $0 = true }
        group.wait()
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        #expect(try store.range(device: "a").count == batches * rows)
        try store.close()
    }
}
