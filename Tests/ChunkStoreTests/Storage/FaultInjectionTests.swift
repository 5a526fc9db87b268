import Foundation
import Testing
@testable import ChunkStore

/// "No acknowledged row is ever lost": a small workload is run once to number its
/// mutating file-system operations, then once per operation and fault kind with that
/// operation failing (or the machine losing power right after it). Whatever happens,
/// the error must reach the caller as a `StoreError`, and a plain reopen must find every
/// append that returned (sync `.always`) exactly once with its values, nothing that was
/// never appended, a clean `verify()`, and a store that still takes writes.
@Suite struct FaultInjectionTests {
    static let nanos: Int64 = 1_000_000_000
    static let dayNanos: Int64 = 86_400 * nanos
    /// 2026-01-01T00:00:00Z.
    static let start: Int64 = 20_454 * dayNanos

    enum Step {
        case append(Int, [Row])
        case flush
        case close
    }

    /// Values are a function of the timestamp, so any row read back can be checked.
    static func row(_ device: String, _ timestamp: Int64) -> Row {
        let seconds = timestamp / nanos
        var fields: [String: FieldValue] = ["v": .float(Double(seconds % 100_000) / 4)]
        if seconds % 3 != 0 { fields["n"] = .int(seconds) }
        return Row(device: device, timestamp: timestamp, fields: fields)
    }

    /// Rows of append `k`: a few per (device, day) group, every timestamp unique across devices too.
    static func rows(_ k: Int, _ groups: [(device: String, day: Int64)], count: Int = 3) -> [Row] {
        groups.flatMap { group in
            (0..<count).map { i in
                row(group.device, start + group.day * dayNanos + Int64(k) * 1000 * nanos + Int64(i) * nanos
                                  + (group.device == "m2" ? 500 * nanos : 0))
            }
        }
    }

    /// Open, appends over two devices and two days (sealing on the row limit and rolling
    /// WAL segments on the way), a flush, more appends, close.
    static let steps: [Step] = {
        var steps: [Step] = []
        let plan: [[(String, Int64)]] = [
            [("m1", 0)],
            [("m1", 0), ("m2", 1)],
            [("m2", 0), ("m1", 1)],
            [("m1", 0)],
            [("m2", 1), ("m2", 0)],
            [("m1", 1)],
        ]
        for (k, groups) in plan.enumerated() { steps.append(.append(k, rows(k, groups.map { (device: $0.0, day: $0.1) }))) }
        steps.append(.flush)
        let later: [[(String, Int64)]] = [[("m1", 0), ("m2", 0)], [("m2", 1)], [("m1", 1), ("m1", 0)]]
        for (j, groups) in later.enumerated() {
            let k = plan.count + j
            steps.append(.append(k, rows(k, groups.map { (device: $0.0, day: $0.1) })))
        }
        steps.append(.close)
        return steps
    }()

    static func options(_ fileSystem: (any FileSystem)?) -> StoreOptions {
        var options = StoreOptions(sync: .always, duplicatePolicy: .last, chunkRowLimit: 8)
        options.walSegmentSize = 700
        if let fileSystem { options.fileSystem = fileSystem }
        return options
    }

    struct Outcome {
        /// Appends that returned normally.
        var acknowledged: Set<Int> = []
        /// Appends that threw: their rows may or may not be stored.
        var inDoubt: Set<Int> = []
        var errors: [StoreError] = []
    }

    /// Runs the workload; every error is caught (the API only throws `StoreError`).
    static func runWorkload(path: String, options: StoreOptions) -> Outcome {
        var outcome = Outcome()
        let store: Store
        do {
            store = try Store.open(at: path, options: options)
        } catch {
            outcome.errors.append(error)
            return outcome
        }
        for step in steps {
            do throws(StoreError) {
                switch step {
                case .append(let k, let rows):
                    outcome.inDoubt.insert(k)
                    try store.append(rows)
                    outcome.inDoubt.remove(k)
                    outcome.acknowledged.insert(k)
                case .flush: try store.flush()
                case .close: try store.close()
                }
            } catch {
                outcome.errors.append(error)
            }
        }
        return outcome
    }

    /// Reopens with the real file system and checks the promise. Returns a failure text or nil.
    static func check(path: String, outcome: Outcome, label: String) -> String? {
        let store: Store
        do {
            store = try Store.open(at: path, options: options(nil))
        } catch {
            return "\(label): reopen failed: \(error)"
        }
        defer { try? store.close() }
        var expected: [Int64: (append: Int, row: Row)] = [:]
        for step in steps {
            guard case .append(let k, let rows) = step else { continue }
            for row in rows { expected[row.timestamp] = (k, row) }
        }
        do {
            var present: Set<Int64> = []
            for device in ["m1", "m2"] {
                let result = try store.range(device: device)
                for (r, ts) in result.timestamps.enumerated() {
                    guard let (k, row) = expected[ts], row.device == device else {
                        return "\(label): \(device) has a row at \(ts) that was never appended"
                    }
                    guard outcome.acknowledged.contains(k) || outcome.inDoubt.contains(k) else {
                        return "\(label): \(device) has a row of append \(k), which was never attempted"
                    }
                    var got: [String: FieldValue] = [:]
                    for (f, name) in result.fieldNames.enumerated() { if let value = result.values[f][r] { got[name] = value } }
                    guard got == row.fields else { return "\(label): \(device) at \(ts) reads \(got), appended \(row.fields)" }
                    present.insert(ts)
                }
            }
            // Every acknowledged row is there; an in-doubt append is there or not per WAL record
            // (one device-day group of one append), never partly.
            var groups: [String: (have: Int, total: Int)] = [:]
            for (ts, entry) in expected {
                if outcome.acknowledged.contains(entry.append), !present.contains(ts) {
                    return "\(label): acknowledged append \(entry.append) lost \(entry.row.device) at \(ts)"
                }
                let key = "\(entry.append)/\(entry.row.device)/\(ts / dayNanos)"
                groups[key, default: (0, 0)].total += 1
                if present.contains(ts) { groups[key]!.have += 1 }
            }
            for (key, group) in groups where group.have != 0 && group.have != group.total {
                return "\(label): append group \(key) is partly present (\(group.have) of \(group.total) rows)"
            }
            // Exactly once: the chunks hold as many rows as distinct timestamps are visible.
            let info = try store.info()
            guard info.rows + info.headRows == present.count else {
                return "\(label): the store holds \(info.rows + info.headRows) rows for \(present.count) distinct ones (duplicates)"
            }
            let problems = try store.verify()
            guard problems.isEmpty else { return "\(label): verify found \(problems)" }
            let extra = row("m3", start + 5 * nanos)
            try store.append([extra])
            try store.close()
            let again = try Store.open(at: path, options: options(nil))
            defer { try? again.close() }
            guard try again.range(device: "m3").timestamps == [extra.timestamp] else {
                return "\(label): a new append after recovery did not survive close"
            }
        } catch {
            return "\(label): after reopen: \(error)"
        }
        return nil
    }

    /// Runs the clean workload once to learn its operations.
    static func countOperations() throws -> [FaultyFileSystem.Kind] {
        let dir = TemporaryDirectory("faults")
        defer { dir.remove() }
        let fs = FaultyFileSystem(root: dir.path)
        let outcome = runWorkload(path: dir.child("store"), options: options(fs))
        #expect(outcome.errors.isEmpty, "clean run failed: \(outcome.errors)")
        #expect(outcome.acknowledged.count == 9)
        if let failure = check(path: dir.child("store"), outcome: outcome, label: "clean run") {
            Issue.record(Comment(rawValue: failure))
        }
        return fs.operationKinds
    }

    @Test func cleanRunSurvivesPowerLossAfterClose() throws {
        let dir = TemporaryDirectory("faults")
        defer { dir.remove() }
        let fs = FaultyFileSystem(root: dir.path)
        let outcome = Self.runWorkload(path: dir.child("store"), options: Self.options(fs))
        #expect(outcome.errors.isEmpty)
        fs.powerLoss()
        if let failure = Self.check(path: dir.child("store"), outcome: outcome, label: "power loss after close") {
            Issue.record(Comment(rawValue: failure))
        }
    }

    /// `thenPowerLoss`: after a fault the workload carries on; the power then fails at the
    /// end, so whatever the writer did to recover in-process must have been durable too.
    @Test(arguments: FaultyFileSystem.Fault.allCases, [false, true])
    func everyOperationFails(_ fault: FaultyFileSystem.Fault, thenPowerLoss: Bool) throws {
        if fault == .powerLoss && thenPowerLoss { return }
        let kinds = try Self.countOperations()
        var runs = 0, injected = 0, failures: [String] = []
        for index in kinds.indices {
            switch fault {
            case .tornWrite: guard kinds[index] == .write else { continue }
            case .failedSync: guard kinds[index] == .sync || kinds[index] == .syncDirectory else { continue }
            default: break
            }
            let dir = TemporaryDirectory("faults")
            defer { dir.remove() }
            let fs = FaultyFileSystem(root: dir.path)
            // Disk-full tends to last: ENOSPC fails the operation and every later one.
            fs.inject(fault, at: index, sticky: fault == .enospc)
            let path = dir.child("store")
            let outcome = Self.runWorkload(path: path, options: Self.options(fs))
            runs += 1
            injected += fs.faultsInjected
            if fault == .powerLoss || thenPowerLoss { fs.powerLoss() }
            let label = "\(fault) at operation \(index) (\(kinds[index]))\(thenPowerLoss ? " then power loss" : "")"
            // Removing files nothing refers to any more is best-effort (the next writer
            // removes leftovers), so only a failed removal may go unreported.
            if fs.faultsInjected > 0, fault != .powerLoss, kinds[index] != .remove, outcome.errors.isEmpty {
                failures.append("\(label): the fault was swallowed, no error reached the caller")
            }
            if let failure = Self.check(path: path, outcome: outcome, label: label) { failures.append(failure) }
        }
        print("FaultInjection \(fault)\(thenPowerLoss ? " + power loss at the end" : ""): \(kinds.count) operations in the workload, \(runs) runs, \(injected) faults injected, \(failures.count) failures")
        for failure in failures.prefix(20) { Issue.record(Comment(rawValue: failure)) }
    }
}
