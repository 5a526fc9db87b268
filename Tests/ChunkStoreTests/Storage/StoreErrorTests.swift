import Foundation
import Testing
@testable import ChunkStore
#if canImport(Glibc)
import Glibc
#endif

/// A failed system call keeps its errno, so a service can tell a full disk from other
/// failures in code rather than by matching message text.
@Suite struct StoreErrorTests {
    @Test func posixFailuresCarryTheirErrno() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        do {
            _ = try PosixFileSystem().open(dir.child("missing/file"), .read)
            Issue.record("opened a file in a missing directory")
        } catch let error as StoreError {
            #expect(error.systemError == ENOENT)
            #expect(!error.isOutOfSpace)
            #expect("\(error)".contains("No such file or directory"))
        }
    }

    /// A disk that fills up mid-ingest: the append that hits it throws an error that says
    /// so, and nothing acknowledged earlier is lost.
    @Test func aFullDiskIsDetectableFromCode() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fs = FaultyFileSystem(root: dir.path)
        var options = StoreOptions(sync: .always)
        options.fileSystem = fs
        options.chunkRowLimit = 16
        let store = try Store.open(at: dir.child("s"), options: options)
        try store.append((0..<10).map { Row(device: "m", timestamp: Int64($0), fields: ["v": .int(Int64($0))]) })
        fs.inject(.enospc, at: fs.operationCount, sticky: true)
        var caught: StoreError?
        do {
            for i in 10..<100 { try store.append([Row(device: "m", timestamp: Int64(i), fields: ["v": .int(Int64(i))])]) }
        } catch {
            caught = error
        }
        let error = try #require(caught)
        #expect(error.isOutOfSpace, "\(error)")
        #expect(error.systemError == ENOSPC)
        _ = try? store.close()
        // Space is freed: the next writer (on the real file system) finds every acknowledged row.
        let reopened = try Store.open(at: dir.child("s"))
        #expect(try reopened.range(device: "m").timestamps.prefix(10) == ArraySlice(0..<10))
        try reopened.close()
    }
}
