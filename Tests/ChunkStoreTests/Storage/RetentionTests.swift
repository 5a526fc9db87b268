import Foundation
import Testing
@testable import ChunkStore

/// Drops and retention (SPEC §8): whole days or one device's chunks go, with their space,
/// buffered rows of those days go too, nothing else changes, and nothing comes back from
/// the WAL.
@Suite struct RetentionTests {
    static let second: Int64 = 1_000_000_000
    static let day: Int64 = 86_400 * second

    static func rows(days: ClosedRange<Int64>, from start: Int64, devices: [String] = ["a", "b"]) -> [Row] {
        var rows: [Row] = []
        for d in days {
            for device in devices {
                for h in Int64(0)..<4 {
                    let value = Double(d * 10 + h)
                    rows.append(Row(device: device, timestamp: start + d * day + h * 3_600 * second, fields: ["v": .float(value)]))
                }
            }
        }
        return rows
    }

    @Test func dropRemovesWholeDaysAndTheirWAL() throws {
        let dir = TemporaryDirectory("drop")
        defer { dir.remove() }
        let path = dir.child("s")
        let start: Int64 = 20_454 * Self.day
        var store: Store? = try Store.open(at: path)
        try store!.append(Self.rows(days: 0...2, from: start))
        try store!.flush()
        // Rows of day 0 still unsealed at the drop go with it.
        try store!.append([Row(device: "a", timestamp: start + 5 * Self.second, fields: ["v": .float(99)])])
        let reader = try Store.openReader(at: path)
        #expect(try reader.range(device: "a").timestamps.count == 13)

        // A time inside day 1 keeps day 1 whole.
        let report = try store!.drop(before: start + Self.day + 3_600 * Self.second)
        #expect(report.daysDropped == ["2026-01-01"])
        #expect(report.rowsDropped == 9)
        #expect(report.bytesReclaimed > 0)
        for s in [store!, reader] {
            #expect(try s.range(device: "a").timestamps.first == start + Self.day)
            #expect(try s.range(device: "b").timestamps.count == 8)
        }
        store = nil  // no close: reopening replays the WAL, which must not bring day 0 back
        let reopened = try Store.open(at: path)
        #expect(try reopened.range(device: "a").timestamps.count == 8)
        #expect(try reopened.verify().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: path + "/data").count == 2)
        try reopened.close()
    }

    @Test func dropOfOneDeviceKeepsTheOthers() throws {
        let dir = TemporaryDirectory("drop")
        defer { dir.remove() }
        let path = dir.child("s")
        let start: Int64 = 20_454 * Self.day
        let store = try Store.open(at: path)
        try store.append(Self.rows(days: 0...2, from: start, devices: ["a", "b", "gone"]))
        try store.append(Self.rows(days: 0...0, from: start, devices: ["only"]))
        try store.flush()
        let report = try store.drop(before: start + 2 * Self.day, device: "b")
        #expect(report.chunksDropped == 2 && report.rowsDropped == 8 && report.daysDropped.isEmpty)
        #expect(try store.range(device: "b").timestamps.count == 4)
        #expect(try store.range(device: "a").timestamps.count == 12)
        // A device that loses every chunk leaves the index; its field types no longer bind.
        _ = try store.drop(before: start + 3 * Self.day, device: "gone")
        #expect(try store.devices().map(\.device) == ["a", "b", "only"])
        try store.append([Row(device: "gone", timestamp: start, fields: ["v": .int(1)])])
        // A day whose last device is dropped loses its file.
        let onlyReport = try store.drop(before: start + Self.day, device: "only")
        #expect(onlyReport.daysDropped.isEmpty || onlyReport.daysDropped == ["2026-01-01"])
        #expect(try store.verify().isEmpty)
        try store.close()
        let reader = try Store.openReader(at: path)
        #expect(try reader.range(device: "a").timestamps.count == 12)
        #expect(try reader.range(device: "only").timestamps.isEmpty)
        #expect(try reader.range(device: "gone").values.first?.first == .int(1))
    }

    @Test func retentionRefusesOldRowsAndDropsOldDays() throws {
        let dir = TemporaryDirectory("retain")
        defer { dir.remove() }
        let path = dir.child("s")
        let now = WallClock.nanoseconds()
        let today = (now / Self.day) * Self.day
        let store = try Store.open(at: path)
        try store.append(Self.rows(days: 0...4, from: today - 4 * Self.day))
        try store.flush()
        #expect(store.retention == nil)
        let report = try store.setRetention(.seconds(2 * 86_400))
        // Days that ended at or before now - 2 days: today-4 and today-3 (today-2 ends later).
        #expect(report.daysDropped.count == 2)
        #expect(store.retention == .seconds(2 * 86_400))
        #expect(try store.range(device: "a").timestamps.first == today - 2 * Self.day)
        #expect(throws: StoreError.self) {
            try store.append([Row(device: "a", timestamp: now - 3 * Self.day, fields: ["v": .float(1)])])
        }
        do {
            try store.append([Row(device: "a", timestamp: now - 3 * Self.day, fields: ["v": .float(1)])])
        } catch {
            guard case .expired(let device, _, _) = error else { throw error }
            #expect(device == "a")
            #expect("\(error)".contains("retention"))
        }
        try store.append([Row(device: "a", timestamp: now, fields: ["v": .float(1)])])
        try store.close()

        // Recorded in the store: a reader reports it, a new writer enforces it.
        #expect(try Store.openReader(at: path).retention == .seconds(2 * 86_400))
        let again = try Store.open(at: path)
        #expect(throws: StoreError.self) {
            try again.append([Row(device: "a", timestamp: now - 3 * Self.day, fields: ["v": .float(1)])])
        }
        #expect(try again.setRetention(nil).daysDropped.isEmpty)
        try again.append([Row(device: "a", timestamp: now - 3 * Self.day, fields: ["v": .float(1)])])
        try again.close()
    }

    /// A writer enforces the retention when it opens: days that aged past it meanwhile go.
    @Test func openingEnforcesTheRetention() throws {
        let dir = TemporaryDirectory("retain")
        defer { dir.remove() }
        let path = dir.child("s")
        let today = (WallClock.nanoseconds() / Self.day) * Self.day
        var store = try Store.open(at: path)
        _ = try store.setRetention(.seconds(10 * 86_400))
        try store.append(Self.rows(days: 0...2, from: today - 2 * Self.day))
        try store.close()
        // Shorten it by editing the manifest as an older writer would have left it.
        var manifest = try Manifest.load(from: path, fileSystem: PosixFileSystem())
        manifest.retention = 1 * Self.day
        manifest.generation += 1
        try manifest.save(to: path, fileSystem: PosixFileSystem())
        store = try Store.open(at: path)
        // now - 1 day lies inside yesterday: only the day before it has ended.
        let kept = try store.range(device: "a").timestamps
        #expect(kept.count == 8 && kept.allSatisfy { $0 >= today - Self.day })
        try store.close()
    }
}
