import Foundation
import Testing
@testable import ChunkStore

/// `Store+Async.swift` and `BlockingExecutor.swift`: the async overloads answer as the
/// synchronous calls do, many of them at once complete, and a query stuck in a read holds
/// a Dispatch thread of the store's, never a thread of Swift concurrency's cooperative pool.
@Suite struct StoreAsyncTests {
    static let start: Int64 = 20_454 * 86_400_000_000_000

    static func rows(_ device: String, _ range: Range<Int>) -> [Row] {
        range.map { Row(device: device, timestamp: start + Int64($0) * 1_000_000_000, fields: ["v": .float(Double($0)), "n": .int(Int64($0))]) }
    }

    /// Runs `body` in a synchronous context, where the synchronous overloads are chosen.
    static func sync<T>(_ body: () throws -> T) rethrows -> T { try body() }

    /// Counts, on a Dispatch thread (never a cooperative one), the reads that `fs` holds at
    /// its gate, up to `count`. After a minute without a new one it gives up and opens the
    /// gate itself (the test task may have no thread to run on), and returns the count reached.
    static func heldReads(in fs: SnapshotQueryTests.GatedFileSystem, upTo count: Int) async -> Int {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
            DispatchQueue.global().async {
                var entered = 0
                while entered < count, fs.entered.wait(timeout: .now() + 60) == .success { entered += 1 }
                if entered < count {
                    fs.openGate()
                    for _ in 0..<count { fs.release() }
                }
                continuation.resume(returning: entered)
            }
        }
    }

    @Test func asyncCallsAnswerAsTheSynchronousOnes() async throws {
        let dir = TemporaryDirectory("async")
        defer { dir.remove() }
        let store = try await Store.open(at: dir.child("s"), options: StoreOptions(sync: .none))
        try await store.append(Self.rows("a", 0..<50))
        let batch = ColumnBatch(device: "b", timestamps: [Self.start, Self.start + 1], columns: [.init(name: "v", values: .float([1, 2]))])
        try await store.append(batch)
        let lp = try await store.appendLineProtocol(Array("m,device=c v=1 1\nm,device=c v=oops 2\n".utf8), precision: .s, now: 0)
        #expect(lp.rows == 1 && lp.rejected.map(\.line) == [2])
        try await store.flush()

        let range: RangeResult = try await store.range(device: "a", from: Self.start + 10_000_000_000, fields: ["v"])
        #expect(range == (try Self.sync { try store.range(device: "a", from: Self.start + 10_000_000_000, fields: ["v"]) }))
        #expect(range.count == 40)
        let query = DownsampleQuery(device: nil, fields: ["v"], bucket: .nanoseconds(10_000_000_000), functions: [.mean, .count])
        let downsampled: [DownsampleRow] = try await store.downsample(query)
        #expect(downsampled == (try Self.sync { try store.downsample(query) }))
        let labelled: DownsampleResult = try await store.downsampleResult(query)
        #expect(labelled.rows == downsampled)
        let latest: LatestRows = try await store.latest()
        #expect(latest == (try Self.sync { try store.latest() }))
        #expect(latest.devices == ["a", "b", "c"])
        let devices: [DeviceInfo] = try await store.devices()
        #expect(devices == (try Self.sync { try store.devices() }))
        let info: StoreInfo = try await store.info()
        #expect(info.rows == 53)
        let problems: [StoreError] = try await store.verify()
        #expect(problems.isEmpty)
        _ = try await store.compact()
        let dropped: DropReport = try await store.drop(before: Self.start, device: "c")
        #expect(dropped.rowsDropped == 1)
        #expect(try await store.devices().map(\.device) == ["a", "b"])
        _ = try await store.setRetention(nil)
        // The fleet calls too.
        let summary: FleetSummary = try await store.summary(SummaryRequest())
        #expect(summary == (try Self.sync { try store.summary(SummaryRequest()) }))
        #expect(summary.devices.count == 2)
        let alerts: [AlertEvent] = try await store.alerts()
        #expect(alerts.isEmpty)
        try await store.close()

        // Typed errors come through: a closed store refuses writes and queries.
        await #expect(throws: StoreError.notWritable("store \(dir.child("s")) is closed")) { try await store.append(Self.rows("a", 0..<1)) }
        await #expect(throws: StoreError.self) { _ = try await store.range(device: "a") }
        let reader = try await Store.openReader(at: dir.child("s"))
        #expect(try await reader.range(device: "a").count == 50)
        await #expect(throws: StoreError.notWritable("store \(dir.child("s")) is open read-only")) { try await reader.flush() }
        try await reader.close()
        await #expect(throws: StoreError.storeNotFound(path: dir.child("none"))) {
            _ = try await Store.openReader(at: dir.child("none"))
        }
    }

    @Test func manyConcurrentCallsAllComplete() async throws {
        let dir = TemporaryDirectory("async")
        defer { dir.remove() }
        let store = try await Store.open(at: dir.child("s"), options: StoreOptions(sync: .none))
        let writers = 64, rowsPerWriter = 25
        try await withThrowingTaskGroup(of: Int.self) { group in
            for w in 0..<writers {
                group.addTask {
                    try await store.append(Self.rows("d\(w % 4)", (w * rowsPerWriter)..<((w + 1) * rowsPerWriter)))
                    return 0
                }
                group.addTask { try await store.range(device: "d\(w % 4)").count }
                group.addTask { try await store.latest().count }
                if w % 8 == 0 { group.addTask { try await store.flush(); return 0 } }
            }
            for try await count in group { #expect(count >= 0) }
        }
        var total = 0
        for d in 0..<4 { total += try await store.range(device: "d\(d)").count }
        #expect(total == writers * rowsPerWriter)
        try await store.close()
    }

    /// More queries than the cooperative pool has threads are held at once inside a read
    /// of a data file; they can all be inside it only because none of them occupies a
    /// cooperative thread, and meanwhile an append and other tasks still run. Had the
    /// queries blocked cooperative threads, the rest could never start: after a minute
    /// without a new one inside, the gate opens and the count falls short.
    @Test func queriesStuckInAReadLeaveTheCooperativePoolFree() async throws {
        let dir = TemporaryDirectory("async")
        defer { dir.remove() }
        let fs = SnapshotQueryTests.GatedFileSystem()
        var options = StoreOptions(sync: .none)
        options.fileSystem = fs
        let store = try await Store.open(at: dir.child("s"), options: options)
        try await store.append(Self.rows("a", 0..<100))
        try await store.flush()

        fs.closeGate()
        let held = ProcessInfo.processInfo.activeProcessorCount * 4 + 4
        var queries: [Task<Int, any Error>] = []
        for _ in 0..<held {
            queries.append(Task { try await store.range(device: "a").count })
        }
        let entered = await Self.heldReads(in: fs, upTo: held)
        #expect(entered == held, "only \(entered) of \(held) queries got inside a read at once")
        if entered == held {
            // The cooperative pool still runs other tasks, and writes go on.
            let sum = await withTaskGroup(of: Int.self) { group in
                for k in 0..<100 { group.addTask { k } }
                return await group.reduce(0, +)
            }
            #expect(sum == 4_950)
            try await store.append(Self.rows("a", 100..<101))
        }
        fs.openGate()
        for _ in 1..<held { fs.release() }
        for query in queries {
            #expect(try await query.value == 100, "each query answers from the snapshot it took before the append")
        }
        #expect(try await store.range(device: "a").count == (entered == held ? 101 : 100))
        try await store.close()
    }
}
