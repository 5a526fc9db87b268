import Foundation
import Testing
@testable import ChunkStore

/// Damaged files must be noticed, never crash the process and never turn into wrong
/// answers: a small store is built once, then copies of it get seeded bit flips and
/// truncations in one file at a time. `verify()` must name the file (with an offset), or
/// opening must fail naming it; every query must either fail naming the file or return
/// exactly what the undamaged store returns.
@Suite struct CorruptionTests {
    static let nanos: Int64 = 1_000_000_000
    static let dayNanos: Int64 = 86_400 * nanos
    static let start: Int64 = 20_454 * dayNanos

    static func row(_ device: String, _ timestamp: Int64) -> Row {
        let s = timestamp / nanos
        var fields: [String: FieldValue] = ["v": .float(Double(s % 10_000) / 8), "on": .bool(s % 2 == 0)]
        if s % 5 != 0 { fields["n"] = .int(s) }
        return Row(device: device, timestamp: timestamp, fields: fields)
    }

    /// Several chunks per device over two days, two index segments (one merged).
    static func buildStore(_ path: String) throws {
        var options = StoreOptions(chunkRowLimit: 16)
        options.compactionTrigger = 0  // keep the fragments: several segments and chunks to damage
        let store = try Store.open(at: path, options: options)
        for batch in 0..<4 {
            var rows: [Row] = []
            for i in 0..<20 {
                let t = start + Int64(batch * 20 + i) * 1800 * nanos
                rows.append(row("m1", t))
                rows.append(row("m2", t + 7 * nanos))
            }
            try store.append(rows)
            try store.flush()
        }
        try store.close()
    }

    /// The answers an undamaged store gives.
    struct Answers: Equatable {
        var ranges: [RangeResult] = []
        var latest: [LatestRow] = []
    }

    static func queries(_ store: Store) -> [(String, () throws(StoreError) -> AnyHashable)] {
        [
            ("range m1", { () throws(StoreError) -> AnyHashable in try store.range(device: "m1") }),
            ("range m2", { () throws(StoreError) -> AnyHashable in try store.range(device: "m2") }),
            ("range m1 day 2", { () throws(StoreError) -> AnyHashable in try store.range(device: "m1", from: start + dayNanos, to: start + 2 * dayNanos) }),
            ("range m2 first hours", { () throws(StoreError) -> AnyHashable in try store.range(device: "m2", from: start, to: start + 5 * 3600 * nanos) }),
            ("latest", { () throws(StoreError) -> AnyHashable in try store.latest() }),
        ]
    }

    static func copyStore(_ from: String, _ to: String) throws {
        try FileManager.default.copyItem(atPath: from, toPath: to)
    }

    static func flipBits(_ path: String, _ random: inout SeededRandom) throws -> String {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var at: [Int] = []
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let offset = Int.random(in: 0..<bytes.count, using: &random)
            bytes[offset] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
            at.append(offset)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return "bits flipped at \(at)"
    }

    static func truncate(_ path: String, _ random: inout SeededRandom) throws -> String {
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        let length = Int.random(in: 0..<size, using: &random)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(length))
        try handle.close()
        return "truncated to \(length) of \(size) bytes"
    }

    /// Does `error` name `file` (its last path component)?
    static func names(_ error: StoreError, _ file: String) -> Bool {
        "\(error)".contains((file as NSString).lastPathComponent)
    }

    static func hasOffset(_ error: StoreError) -> Bool {
        switch error {
        case .corrupt: true
        case .unsupportedVersion, .io: true
        default: false
        }
    }

    @Test func damagedCommittedFilesAreDetected() throws {
        let dir = TemporaryDirectory("corrupt")
        defer { dir.remove() }
        let pristine = dir.child("pristine")
        try Self.buildStore(pristine)
        let reference = try Store.openReader(at: pristine)
        #expect(try reference.verify().isEmpty)
        let segments = try Manifest.load(from: pristine, fileSystem: PosixFileSystem()).indexSegments
            .map { StoreLayout.indexSegmentName($0) }
        let days = try FileManager.default.contentsOfDirectory(atPath: pristine + "/data").sorted()
        #expect(segments.count >= 2, "the store should have at least two index segments, has \(segments)")
        #expect(days.count == 2)
        #expect(try reference.info().chunks >= 8)
        let expected = Self.queries(reference).map { (name, query) in (name, try? query()) }

        let targets: [(kind: String, file: String)] =
            days.map { ("data", "data/" + $0) } + segments.map { ("index", $0) } + [("manifest", "MANIFEST")]
        var random = SeededRandom(seed: 0xC0FFEE)
        var tried: [String: Int] = [:], detected: [String: Int] = [:], exactAnswers = 0, failedQueries = 0
        var trial = 0
        for target in targets {
            for attempt in 0..<60 {
                trial += 1
                let copy = dir.child("t\(trial)")
                try Self.copyStore(pristine, copy)
                defer { try? FileManager.default.removeItem(atPath: copy) }
                let damaged = copy + "/" + target.file
                let how = attempt < 40 ? try Self.flipBits(damaged, &random) : try Self.truncate(damaged, &random)
                let label = "\(target.file) \(how)"
                tried[target.kind, default: 0] += 1

                let store: Store
                do {
                    store = try Store.openReader(at: copy)
                } catch {
                    #expect(Self.names(error, target.file), "\(label): open failed without naming the file: \(error)")
                    detected[target.kind, default: 0] += 1
                    continue
                }
                let problems: [StoreError]
                do {
                    problems = try store.verify()
                } catch {
                    problems = [error]
                }
                if problems.contains(where: { Self.names($0, target.file) && Self.hasOffset($0) }) {
                    detected[target.kind, default: 0] += 1
                } else {
                    Issue.record("\(label): verify did not report the damaged file: \(problems)")
                }
                for (index, (name, query)) in Self.queries(store).enumerated() {
                    do {
                        let got = try query()
                        if got == expected[index].1 { exactAnswers += 1 } else {
                            Issue.record("\(label): \(name) silently returned a different answer")
                        }
                    } catch {
                        failedQueries += 1
                        #expect(Self.names(error, target.file), "\(label): \(name) failed without naming the file: \(error)")
                    }
                }
            }
        }
        print("Corruption: tried \(tried), detected \(detected); queries answering exactly: \(exactAnswers), failing with the file named: \(failedQueries)")
    }

    /// A writer dropped without close leaves rows only in the WAL; damage to the WAL must
    /// cost only the damaged record and those after it, and be reported.
    @Test func damagedWALKeepsEveryRecordBeforeTheDamage() throws {
        let dir = TemporaryDirectory("corrupt-wal")
        defer { dir.remove() }
        let pristine = dir.child("pristine")
        let appends = 12
        do {
            let store = try Store.open(at: pristine, options: StoreOptions(sync: .always))
            for k in 0..<appends {
                try store.append((0..<3).map { i in Self.row("m1", Self.start + Int64(k * 10 + i) * 60 * Self.nanos) })
            }
            // Dropped without close: the rows live only in the WAL.
        }
        let walNames = try FileManager.default.contentsOfDirectory(atPath: pristine + "/wal").sorted()
        #expect(walNames.count == 1)
        let walFile = "wal/" + walNames[0]
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: pristine + "/" + walFile)))
        // Record k (append k) spans recordStarts[k] ..< recordStarts[k + 1].
        var recordStarts: [Int] = []
        var offset = FormatConstants.walHeaderSize
        while offset < original.count {
            recordStarts.append(offset)
            let length = Int(original[offset + 4]) | Int(original[offset + 5]) << 8 | Int(original[offset + 6]) << 16 | Int(original[offset + 7]) << 24
            offset += 9 + length
        }
        recordStarts.append(original.count)
        #expect(recordStarts.count == appends + 1)

        var random = SeededRandom(seed: 0xBADC0DE)
        var tried = 0, reported = 0
        for trial in 0..<80 {
            let copy = dir.child("w\(trial)")
            try Self.copyStore(pristine, copy)
            defer { try? FileManager.default.removeItem(atPath: copy) }
            let path = copy + "/" + walFile
            var bytes = original
            let damageAt: Int
            let how: String
            if trial % 2 == 0 {
                damageAt = Int.random(in: 0..<bytes.count, using: &random)
                bytes[damageAt] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
                how = "bit flipped at \(damageAt)"
            } else {
                damageAt = Int.random(in: 0..<bytes.count, using: &random)
                bytes.removeSubrange(damageAt...)
                how = "truncated to \(damageAt)"
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            tried += 1
            // Appends whose records end at or before the damage must survive.
            let intact = (0..<appends).filter { recordStarts[$0 + 1] <= damageAt && damageAt >= FormatConstants.walHeaderSize }
            let store = try Store.open(at: copy)
            defer { try? store.close() }
            let report = store.recoveryReport
            let atBoundary = trial % 2 == 1 && recordStarts.contains(damageAt)
            if !atBoundary {
                if report.truncations.contains(where: { $0.contains(walNames[0]) }) { reported += 1 } else {
                    Issue.record("WAL \(how): the recovery report does not name the file: \(report.truncations)")
                }
            }
            let result = try store.range(device: "m1")
            var present = Set<Int64>()
            for (r, ts) in result.timestamps.enumerated() {
                present.insert(ts)
                let appended = Self.row("m1", ts)
                var got: [String: FieldValue] = [:]
                for (f, name) in result.fieldNames.enumerated() { if let v = result.values[f][r] { got[name] = v } }
                #expect(got == appended.fields, "WAL \(how): row \(ts) reads \(got)")
            }
            for k in intact {
                for i in 0..<3 {
                    let ts = Self.start + Int64(k * 10 + i) * 60 * Self.nanos
                    #expect(present.contains(ts), "WAL \(how): append \(k), intact before the damage, was lost")
                }
            }
            #expect(result.count <= appends * 3)
            #expect(try store.verify().isEmpty, "WAL \(how): the recovered store does not verify")
        }
        print("Corruption WAL: \(tried) damaged segments, \(reported) reported in recoveryReport (the rest were cut exactly at a record boundary)")
    }
}
