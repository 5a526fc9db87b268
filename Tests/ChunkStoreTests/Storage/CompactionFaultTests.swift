import Foundation
import Testing
@testable import ChunkStore

/// Every mutating file-system operation of a compaction and a drop, failed in turn (and the
/// power lost right after it): a reopened store shows the old chunks or the new ones, never
/// both (the `sum` policy would double every value) and never neither; a drop is all or
/// nothing; every acknowledged append is there once; `verify()` is clean.
@Suite struct CompactionFaultTests {
    static let second: Int64 = 1_000_000_000
    static let day: Int64 = 86_400 * second
    static let start: Int64 = 20_454 * day

    static func row(_ device: String, _ timestamp: Int64) -> Row {
        let seconds = timestamp / second
        return Row(device: device, timestamp: timestamp, fields: ["v": .float(Double(seconds % 1000) / 4), "n": .int(seconds)])
    }

    static func options(_ fileSystem: (any FileSystem)?) -> StoreOptions {
        var options = StoreOptions(sync: .always, duplicatePolicy: .sum, chunkRowLimit: 8)
        options.compactionTrigger = 0
        if let fileSystem { options.fileSystem = fileSystem }
        return options
    }

    /// Six flushed appends whose rows interleave in time: fragmented, overlapping chunks on
    /// two devices and two days, every timestamp unique.
    static func baseRows() -> [[Row]] {
        var appends: [[Row]] = []
        for k in 0..<6 {
            var rows: [Row] = []
            for device in ["m1", "m2"] {
                for d in 0..<2 {
                    for i in 0..<3 {
                        let minute = Int64(i * 6 + k)
                        rows.append(row(device, start + Int64(d) * day + minute * 60 * second))
                    }
                }
            }
            appends.append(rows)
        }
        return appends
    }

    static let appended = [row("m1", start + 3_600 * second), row("m2", start + day + 3_600 * second)]

    static func makeTemplate(_ path: String) throws {
        let store = try Store.open(at: path, options: options(nil))
        for rows in baseRows() {
            try store.append(rows)
            try store.flush()
        }
        try store.close()
    }

    struct Outcome {
        var appendAcknowledged = false
        var dropAttempted = false
        var dropAcknowledged = false
        var errors: [StoreError] = []
    }

    /// Compact, append, drop m2's first day, compact again, close.
    static func runWorkload(path: String, options: StoreOptions) -> Outcome {
        var outcome = Outcome()
        let store: Store
        do { store = try Store.open(at: path, options: options) } catch {
            outcome.errors.append(error)
            return outcome
        }
        do { _ = try store.compact() } catch { outcome.errors.append(error) }
        do {
            try store.append(appended)
            outcome.appendAcknowledged = true
        } catch { outcome.errors.append(error) }
        outcome.dropAttempted = true
        do {
            _ = try store.drop(before: start + day, device: "m2")
            outcome.dropAcknowledged = true
        } catch { outcome.errors.append(error) }
        do { _ = try store.compact() } catch { outcome.errors.append(error) }
        do { try store.close() } catch { outcome.errors.append(error) }
        return outcome
    }

    static func check(path: String, outcome: Outcome, label: String) -> String? {
        do {
            let store = try Store.open(at: path, options: options(nil))
            defer { try? store.close() }
            let base = baseRows().flatMap { $0 }
            var byDevice: [String: [Int64: Row]] = [:]
            for row in base + appended { byDevice[row.device, default: [:]][row.timestamp] = row }
            var droppedSeen = 0, droppedTotal = 0
            for (device, expected) in byDevice {
                let result = try store.range(device: device)
                var seen = Set<Int64>()
                for (r, ts) in result.timestamps.enumerated() {
                    guard let row = expected[ts] else { return "\(label): \(device) has a row at \(ts) never appended" }
                    var got: [String: FieldValue] = [:]
                    for (f, name) in result.fieldNames.enumerated() { if let value = result.values[f][r] { got[name] = value } }
                    guard got == row.fields else { return "\(label): \(device) at \(ts) reads \(got), stored \(row.fields)" }
                    seen.insert(ts)
                }
                for (ts, row) in expected {
                    let isAppended = appended.contains { $0.timestamp == ts && $0.device == device }
                    let isDropped = device == "m2" && ts < start + day && !isAppended
                    if isDropped {
                        droppedTotal += 1
                        if seen.contains(ts) { droppedSeen += 1 }
                    } else if isAppended {
                        if outcome.appendAcknowledged && !seen.contains(ts) { return "\(label): acknowledged \(row) lost" }
                    } else if !seen.contains(ts) {
                        return "\(label): \(device) lost the stored row at \(ts)"
                    }
                }
            }
            if droppedSeen != 0 && droppedSeen != droppedTotal {
                return "\(label): the drop is half done (\(droppedSeen) of \(droppedTotal) rows left)"
            }
            if outcome.dropAcknowledged && droppedSeen != 0 { return "\(label): an acknowledged drop left its rows" }
            if !outcome.dropAttempted && droppedSeen != droppedTotal { return "\(label): rows dropped without a drop" }
            let problems = try store.verify()
            guard problems.isEmpty else { return "\(label): verify found \(problems)" }
            try store.append([row("m3", start)])
        } catch {
            return "\(label): after reopen: \(error)"
        }
        return nil
    }

    static func freshCopy(of template: String, in dir: TemporaryDirectory) throws -> String {
        let path = dir.child("store")
        try FileManager.default.copyItem(atPath: template, toPath: path)
        return path
    }

    @Test(arguments: FaultyFileSystem.Fault.allCases, [false, true])
    func everyOperationOfCompactAndDropFails(_ fault: FaultyFileSystem.Fault, thenPowerLoss: Bool) throws {
        if fault == .powerLoss && thenPowerLoss { return }
        let templateDir = TemporaryDirectory("compact-faults")
        defer { templateDir.remove() }
        let template = templateDir.child("template")
        try Self.makeTemplate(template)

        let cleanDir = TemporaryDirectory("compact-faults")
        defer { cleanDir.remove() }
        let cleanPath = try Self.freshCopy(of: template, in: cleanDir)
        let cleanFS = FaultyFileSystem(root: cleanDir.path)
        let clean = Self.runWorkload(path: cleanPath, options: Self.options(cleanFS))
        #expect(clean.errors.isEmpty && clean.dropAcknowledged, "clean run: \(clean.errors)")
        if let failure = Self.check(path: cleanPath, outcome: clean, label: "clean run") { Issue.record(Comment(rawValue: failure)) }
        let kinds = cleanFS.operationKinds
        #expect(kinds.contains(.rename) && kinds.contains(.remove))

        var runs = 0, failures: [String] = []
        for index in kinds.indices {
            switch fault {
            case .tornWrite: guard kinds[index] == .write else { continue }
            case .failedSync: guard kinds[index] == .sync || kinds[index] == .syncDirectory else { continue }
            default: break
            }
            let dir = TemporaryDirectory("compact-faults")
            defer { dir.remove() }
            let path = try Self.freshCopy(of: template, in: dir)
            let fs = FaultyFileSystem(root: dir.path)
            fs.inject(fault, at: index, sticky: fault == .enospc)
            let outcome = Self.runWorkload(path: path, options: Self.options(fs))
            runs += 1
            if fault == .powerLoss || thenPowerLoss { fs.powerLoss() }
            let label = "\(fault) at operation \(index) (\(kinds[index]))\(thenPowerLoss ? " then power loss" : "")"
            if fs.faultsInjected > 0, fault != .powerLoss, kinds[index] != .remove, outcome.errors.isEmpty {
                failures.append("\(label): the fault was swallowed, no error reached the caller")
            }
            if let failure = Self.check(path: path, outcome: outcome, label: label) { failures.append(failure) }
        }
        print("CompactionFault \(fault)\(thenPowerLoss ? " + power loss" : ""): \(kinds.count) operations, \(runs) runs, \(failures.count) failures")
        for failure in failures.prefix(20) { Issue.record(Comment(rawValue: failure)) }
    }
}
