import Foundation
import Testing
@testable import ChunkStore

@Suite struct StoreLifecycleTests {
    let nanos: Int64 = 1_000_000_000

    func rows(_ device: String, _ start: Int64, _ count: Int) -> [Row] {
        (0..<count).map { i in
            Row(device: device, timestamp: start + Int64(i) * 60 * nanos,
                fields: ["power": .float(Double(i) * 0.5), "energy": .int(Int64(i) * 10)])
        }
    }

    @Test func appendFlushReopenAndQuery() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.child("store")
        let store = try Store.open(at: path)
        try store.append(rows("m1", 0, 100))
        try store.append(rows("m2", 3600 * nanos, 10))
        let before = try store.range(device: "m1")
        #expect(before.count == 100)
        try store.close()

        let again = try Store.open(at: path)
        let after = try again.range(device: "m1")
        #expect(after == before)
        #expect(after.fieldNames == ["energy", "power"])
        #expect(after.values[1][3] == .float(1.5))
        let latest = try again.latest()
        #expect(latest.count == 2)
        #expect(latest[0].device == "m1" && latest[0].timestamp == 99 * 60 * nanos)
        #expect(latest[0].fields["energy"] == .int(990))
        #expect(try again.verify().isEmpty)
        let info = try again.info()
        #expect(info.rows == 110 && info.points == 220 && info.devices == 2)
        try again.close()
    }

    @Test func secondWriterIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"))
        #expect(throws: StoreError.locked(path: dir.child("s"))) { try Store.open(at: dir.child("s")) }
        try store.close()
        let again = try Store.open(at: dir.child("s"))
        try again.close()
    }

    @Test func uncleanStopReplaysWAL() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.child("s")
        do {
            var options = StoreOptions()
            options.sync = .always
            let store = try Store.open(at: path, options: options)
            try store.append(rows("m1", 0, 50))
            // Dropped without close: deinit releases the lock but seals nothing.
        }
        let reopened = try Store.open(at: path)
        #expect(reopened.recoveryReport.rowsRecovered == 50)
        #expect(try reopened.range(device: "m1").count == 50)
        try reopened.close()
        let third = try Store.open(at: path)
        #expect(third.recoveryReport.rowsRecovered == 0)
        #expect(try third.range(device: "m1").count == 50)
        try third.close()
    }

    @Test func typeMismatchIsRejectedWholly() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"))
        try store.append([Row(device: "d", timestamp: 1, fields: ["x": .float(1)])])
        #expect(throws: StoreError.typeMismatch(device: "d", field: "x", existing: .float, given: .int)) {
            try store.append([Row(device: "d", timestamp: 2, fields: ["x": .float(2)]),
                              Row(device: "d", timestamp: 3, fields: ["x": .int(2)])])
        }
        #expect(try store.range(device: "d").count == 1)
        try store.close()
    }
}

extension StoreLifecycleTests {
    @Test func aClosedStoreKeepsNoLog() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"))
        try store.append(rows("m1", 0, 100))
        try store.close()
        let wal = try FileManager.default.contentsOfDirectory(atPath: dir.child("s") + "/wal")
        #expect(wal.isEmpty)
        let again = try Store.open(at: dir.child("s"))
        #expect(try again.range(device: "m1").count == 100)
        try again.append(rows("m1", 100 * 60 * nanos, 5))
        try again.close()
        #expect(try Store.openReader(at: dir.child("s")).range(device: "m1").count == 105)
    }
}
