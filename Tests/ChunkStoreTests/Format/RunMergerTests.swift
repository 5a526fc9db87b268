import Testing
@testable import ChunkStore

/// RunMerger against the dictionary reference on random runs, plus small worked examples.
@Suite struct RunMergerTests {
    func column(_ name: String, _ type: FieldType, _ values: [Int64?]) -> FieldColumn {
        FieldColumn(name: name, type: type, bits: values.map { UInt64(bitPattern: $0 ?? 0) },
                    present: Bitmap(values.map { $0 != nil }))
    }

    /// Checks `result` against the reference; returns a description of the first difference.
    func difference(_ result: ColumnarRows, _ reference: QueryReference.Merged, names: [String],
                    existing: Set<String>) -> String? {
        let times = reference.keys.sorted()
        if result.timestamps != times { return "timestamps \(result.timestamps) != \(times)" }
        if result.columns.map(\.name) != names { return "columns \(result.columns.map(\.name)) != \(names)" }
        for c in result.columns {
            // A field no run has is typed .float; others keep their generated type.
            let type = existing.contains(c.name) ? QueryRandomData.fieldTypes[c.name] ?? .float : .float
            if c.type != type { return "\(c.name): type \(c.type) != \(type)" }
            if c.bits.count != times.count || c.present.count != times.count { return "\(c.name): wrong length" }
            for (r, ts) in times.enumerated() {
                let expected = reference[ts]?[c.name].map { FieldValue(type: type, bits: $0) }
                if c.value(at: r) != expected { return "\(c.name)@\(ts): \(String(describing: c.value(at: r))) != \(String(describing: expected))" }
                if !c.present[r] && c.bits[r] != 0 { return "\(c.name)@\(ts): missing slot not zeroed" }
            }
        }
        return nil
    }

    @Test(arguments: DuplicatePolicy.allCases)
    func matchesReferenceOnRandomRuns(policy: DuplicatePolicy) {
        for seed in UInt64(0)..<300 {
            var rng = SeededRandom(seed: seed &* 7919 &+ UInt64(policy.rawValue))
            let runs = QueryRandomData.runs(&rng, extremeInts: true)
            let (from, to) = QueryRandomData.range(runs, &rng)
            var fields: [String]? = nil
            if rng.chance(0.5) {
                fields = (QueryRandomData.fieldNames + ["zz"]).shuffled(using: &rng).filter { _ in rng.chance(0.6) }
            }
            let existing = Set(runs.flatMap { $0.columns.map(\.name) })
            let names = fields ?? existing.sorted()
            let result = RunMerger.merge(runs, policy: policy, fields: fields, from: from, toInclusive: to)
            let reference = QueryReference.merge(runs, policy: policy, from: from, toInclusive: to)
            if let diff = difference(result, reference, names: names, existing: existing) {
                Issue.record("seed \(seed), policy \(policy): \(diff)")
                return
            }
        }
    }

    /// A head buffer's shape: one run in arrival order, mostly ascending, with late rows,
    /// an early outlier, and sometimes a duplicate (which the single-run path hands back).
    @Test(arguments: DuplicatePolicy.allCases)
    func nearlySortedSingleRunMatchesReference(policy: DuplicatePolicy) {
        for seed in UInt64(0)..<200 {
            var rng = SeededRandom(seed: seed &* 104_729 &+ UInt64(policy.rawValue))
            let count = Int.random(in: 1...400, using: &rng)
            var ts = (0..<count).map { Int64($0) * 5000 - 1_000_000 }
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                // A late reading: moved to after some newer rows.
                let i = Int.random(in: 0..<count, using: &rng)
                let j = Int.random(in: i..<count, using: &rng)
                ts.insert(ts.remove(at: i), at: j)
            }
            if rng.chance(0.2) { ts[Int.random(in: 0..<count, using: &rng)] = Int64.max }
            if rng.chance(0.2) { ts[Int.random(in: 0..<count, using: &rng)] = Int64.min }
            if rng.chance(0.2) { ts.append(rng.pick(ts)) }
            let run = QueryRandomData.run(ts, &rng, extremeInts: true)
            let bounded = rng.chance(0.3)
            let from: Int64 = bounded ? Int64.random(in: -1_000_000...0, using: &rng) : .min
            let to: Int64 = bounded ? Int64.random(in: 0...1_000_000, using: &rng) : .max
            let existing = Set(run.columns.map(\.name))
            let fields: [String]? = rng.chance(0.3) ? ["zz"] + Array(existing.sorted().reversed()) : nil
            let names = fields ?? existing.sorted()
            let result = RunMerger.merge([run], policy: policy, fields: fields, from: from, toInclusive: to)
            let reference = QueryReference.merge([run], policy: policy, from: from, toInclusive: to)
            if let diff = difference(result, reference, names: names, existing: existing) {
                Issue.record("seed \(seed), policy \(policy): \(diff)")
                return
            }
        }
    }

    /// Sealing merges head buffers one after another into one reused result.
    @Test func mergingIntoAReusedBufferMatchesFreshMerges() {
        var rng = SeededRandom(seed: 99)
        var reused = ColumnarRows()
        var previous = ColumnarRows()
        for i in 0..<300 {
            let run = QueryRandomData.runs(&rng, extremeInts: true)[0]
            let fresh = RunMerger.merge([run], policy: .sum, fields: nil, from: .min, toInclusive: .max)
            // Every other time the last result is still referenced, and must stay intact.
            let kept: ColumnarRows? = i % 2 == 0 ? reused : nil
            RunMerger.merge(run, policy: .sum, into: &reused)
            #expect(reused == fresh)
            if let kept { #expect(kept == previous) }
            previous = fresh
        }
    }

    @Test func singleRunOrderSplitsOffLateRows() {
        func order(_ ts: [Int64], from: Int64 = .min, to: Int64 = .max) -> [Int]? {
            RunMerger.timeOrder(ts, from: from, toInclusive: to).map { $0.flatMap { Array($0) } }
        }
        #expect(order([1, 2, 5, 3, 6, 4]) == [0, 1, 3, 5, 2, 4])
        #expect(order([9, 1, 2, 3]) == [1, 2, 3, 0])
        #expect(order([1, 2, 5, 2]) == nil)
        #expect(order([1, 2, 5, 2], from: 3) == [2])
        #expect(order([1, 5, 9, 5]) == nil)
        #expect(order([1, 5, 9, 6, 6]) == nil)
        #expect(order([10, 20, 30, 40, 15, 35, 5, 50]) == [6, 0, 4, 1, 2, 5, 3, 7])
        #expect(order([]) == [])
        // Only long runs: the order is a few ranges, not one entry per row.
        let ranges = RunMerger.timeOrder((0..<1000).map { Int64($0 == 500 ? -1 : $0) }, from: .min, toInclusive: .max)
        #expect(ranges == [500..<501, 0..<500, 501..<1000])
    }

    @Test func dedupIsPerFieldAndFollowsArrivalOrder() {
        // Run 0 arrived first: ts 5 has p=1; ts 3 has v=10 then v=11 (later row wins under .last).
        let run0 = ColumnarRows(timestamps: [5, 3, 3], columns: [
            column("p", .int, [1, nil, nil]), column("v", .int, [nil, 10, 11]),
        ])
        // Run 1 arrived later: ts 5 has only v, ts 3 has p and v.
        let run1 = ColumnarRows(timestamps: [5, 3], columns: [
            column("v", .int, [7, 20]), column("p", .int, [nil, 2]),
        ])
        let last = RunMerger.merge([run0, run1], policy: .last, fields: nil, from: .min, toInclusive: .max)
        #expect(last.timestamps == [3, 5])
        #expect(last.columns.map(\.name) == ["p", "v"])
        #expect(last.columns[0].value(at: 0) == .int(2) && last.columns[0].value(at: 1) == .int(1))
        #expect(last.columns[1].value(at: 0) == .int(20) && last.columns[1].value(at: 1) == .int(7))
        let first = RunMerger.merge([run0, run1], policy: .first, fields: ["v"], from: .min, toInclusive: .max)
        #expect(first.columns.map(\.name) == ["v"])
        #expect(first.columns[0].value(at: 0) == .int(10))
        let sum = RunMerger.merge([run0, run1], policy: .sum, fields: ["v"], from: 3, toInclusive: 3)
        #expect(sum.timestamps == [3])
        #expect(sum.columns[0].value(at: 0) == .int(41))
    }

    @Test func keepsTimestampsWithoutSelectedValuesAndAbsentFields() {
        let run = ColumnarRows(timestamps: [2, 1], columns: [column("p", .int, [nil, 4])])
        let merged = RunMerger.merge([run], policy: .last, fields: ["zz", "p"], from: .min, toInclusive: .max)
        #expect(merged.timestamps == [1, 2])
        #expect(merged.columns.map(\.name) == ["zz", "p"])
        #expect(merged.columns[0].type == .float)
        #expect(merged.columns[0].present.popCount == 0 && merged.columns[0].bits == [0, 0])
        #expect(merged.columns[1].value(at: 1) == nil)
    }

    @Test func cleanSingleRunIsSliced() {
        let run = ColumnarRows(timestamps: [-5, 0, 4, 9], columns: [column("p", .int, [1, nil, 3, 4])])
        let merged = RunMerger.merge([run], policy: .last, fields: nil, from: -1, toInclusive: 4)
        #expect(merged.timestamps == [0, 4])
        #expect(merged.columns[0].value(at: 0) == nil && merged.columns[0].value(at: 1) == .int(3))
        let empty = RunMerger.merge([run], policy: .last, fields: nil, from: 5, toInclusive: 4)
        #expect(empty.rowCount == 0 && empty.columns.count == 1 && empty.columns[0].bits.isEmpty)
        let none = RunMerger.merge([], policy: .last, fields: nil, from: .min, toInclusive: .max)
        #expect(none.rowCount == 0 && none.columns.isEmpty)
    }
}
