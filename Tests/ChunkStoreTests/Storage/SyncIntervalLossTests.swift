import Foundation
import Testing
@testable import ChunkStore

/// What each sync policy loses when the power fails (simulated by FaultyFileSystem, which
/// keeps only what was fsynced): `always` nothing acknowledged; `interval(ms)` exactly the
/// appends acknowledged after the timer's last completed WAL fsync (the timer and `append`
/// take the same lock, so a tick makes every append acknowledged before it durable);
/// `none` everything not flushed.
@Suite(.serialized) struct SyncIntervalLossTests {
    struct Measured {
        var acknowledged = 0
        var lost = 0
        /// Lost appends that were acknowledged before a WAL fsync completed: must be 0.
        var lostBeforeASync = 0
        /// WAL fsyncs completed before the power cut.
        var walSyncs = 0
        /// Age, at the power cut, of the oldest acknowledged append that was lost (ms).
        var window: Double = 0
    }

    func appendThenCutPower(sync: SyncPolicy, seconds: Double = 0.6) throws -> Measured {
        let dir = TemporaryDirectory("sync-loss")
        defer { dir.remove() }
        let fs = FaultyFileSystem(root: dir.path)
        var options = StoreOptions(sync: sync)
        options.fileSystem = fs
        var acknowledgedAt: [Int64: Double] = [:]
        /// WAL fsyncs completed when each append had returned.
        var syncsAtAck: [Int64: Int] = [:]
        let start = Date()
        var cutAt = 0.0
        do {
            let store = try Store.open(at: dir.child("s"), options: options)
            var i: Int64 = 0
            while Date().timeIntervalSince(start) < seconds {
                try store.append([Row(device: "m", timestamp: i, fields: ["v": .int(i)])])
                acknowledgedAt[i] = Date().timeIntervalSince(start)
                syncsAtAck[i] = fs.completedSyncs(endingWith: ".wal")
                i += 1
                usleep(200)
            }
            // The machine stops: every later operation fails, including the store's own
            // attempts to sync as it is dropped.
            fs.inject(.eio, at: fs.operationCount, sticky: true)
            cutAt = Date().timeIntervalSince(start)
        }
        let walSyncs = fs.completedSyncs(endingWith: ".wal")
        fs.powerLoss()
        let reopened = try Store.open(at: dir.child("s"))
        let present = Set(try reopened.range(device: "m").timestamps)
        try reopened.close()
        var measured = Measured(acknowledged: acknowledgedAt.count, walSyncs: walSyncs)
        for (t, at) in acknowledgedAt where !present.contains(t) {
            measured.lost += 1
            if syncsAtAck[t, default: 0] < walSyncs { measured.lostBeforeASync += 1 }
            measured.window = max(measured.window, (cutAt - at) * 1000)
        }
        return measured
    }

    @Test func alwaysLosesNothingAcknowledged() throws {
        let m = try appendThenCutPower(sync: .always, seconds: 0.3)
        #expect(m.lost == 0)
    }

    @Test func intervalLosesOnlyTheLastInterval() throws {
        let m = try appendThenCutPower(sync: .interval(milliseconds: 50), seconds: 1.0)
        print(String(format: "sync interval(50 ms), power cut: %d of %d acknowledged appends lost, oldest lost acknowledged %.1f ms before the cut",
                     m.lost, m.acknowledged, m.window))
        // The exact rule, without timing: the timer did fsync the WAL, and nothing
        // acknowledged before a completed WAL fsync was lost. How old the lost appends are
        // then depends only on how punctually the 50 ms timer fires (printed above; the
        // README reports it), which a test cannot assert on a loaded machine.
        #expect(m.walSyncs > 0)
        #expect(m.lostBeforeASync == 0)
        #expect(m.lost < m.acknowledged)
    }

    @Test func noneLosesEverythingUnflushed() throws {
        let m = try appendThenCutPower(sync: .none, seconds: 0.2)
        #expect(m.lost == m.acknowledged)
    }
}
