@testable import ChunkStore

/// Random row sets shaped like what the storage layer feeds the query code: several runs
/// in arrival order, unsorted, with duplicate timestamps, partial fields and garbage in
/// missing slots, clustered around interesting instants (the epoch, leap days, month and
/// year boundaries, the ends of the `Int64` range).
enum QueryRandomData {
    /// Field names and their fixed types; "zz" is never generated, to query an absent field.
    static let fieldTypes: [String: FieldType] = ["a": .float, "b": .int, "c": .bool, "d": .float]
    static let fieldNames = ["a", "b", "c", "d"]
    static let day: Int64 = 86_400_000_000_000

    static func date(_ y: Int64, _ m: Int, _ d: Int, hours: Int64 = 0) -> Int64 {
        CivilTime.days(fromCivil: y, month: m, day: d) * day + hours * 3_600_000_000_000
    }

    static let anchors: [Int64] = [
        0, -1, date(1969, 12, 31, hours: 23), date(1970, 1, 1, hours: 1),
        date(2000, 2, 29), date(2000, 3, 1), date(1900, 3, 1), date(2100, 3, 1), date(2024, 2, 29, hours: 12),
        date(2024, 12, 31, hours: 23), date(2025, 1, 1), date(1969, 1, 1), date(1968, 3, 1),
        .min, .min + 1_000, .max, .max - 1_000,
    ]
    static let spreads: [Int64] = [10, 10_000_000_000, 3 * 3_600_000_000_000, 3 * day, 90 * day, 800 * day]

    /// Runs in arrival order. With `extremeInts`, integers include `Int64.min`/`max`
    /// (to exercise wrapping sums); otherwise all values keep Double sums exact, so
    /// that summing in a different grouping cannot change a result.
    static func runs(_ rng: inout SeededRandom, extremeInts: Bool = false) -> [ColumnarRows] {
        let anchor = rng.chance(0.1) ? Int64.random(in: .min ... .max, using: &rng) : rng.pick(anchors)
        let spread = rng.pick(spreads)
        let poolSize = Int.random(in: 1...40, using: &rng)
        let pool = (0..<poolSize).map { _ in
            CivilTime.saturatingAdd(anchor, Int64.random(in: -spread...spread, using: &rng))
        }

        if rng.chance(0.25) {
            // Clean runs: sorted, unique, disjoint in time, arriving in any order
            // (the merger's fast path; one run or adjacent chunks).
            let sorted = Array(Set(pool)).sorted()
            var cuts = (0..<Int.random(in: 0...3, using: &rng)).map { _ in Int.random(in: 0...sorted.count, using: &rng) }
            cuts = ([0] + cuts + [sorted.count]).sorted()
            return (1..<cuts.count).map { i in
                run(Array(sorted[cuts[i - 1]..<cuts[i]]), &rng, extremeInts: extremeInts)
            }.shuffled(using: &rng)
        }
        if rng.chance(0.25) {
            // Sorted runs that overlap (a sealed chunk and late rows): the k-way merge path.
            return (0..<Int.random(in: 1...4, using: &rng)).map { _ in
                run(Array(Set(pool.filter { _ in rng.chance(0.5) })).sorted(), &rng, extremeInts: extremeInts)
            }
        }
        return (0..<Int.random(in: 1...6, using: &rng)).map { _ in
            let count = Int.random(in: 0...30, using: &rng)
            return run((0..<count).map { _ in rng.pick(pool) }, &rng, extremeInts: extremeInts)
        }
    }

    static func run(_ timestamps: [Int64], _ rng: inout SeededRandom, extremeInts: Bool) -> ColumnarRows {
        var columns: [FieldColumn] = []
        for name in fieldNames.shuffled(using: &rng) where rng.chance(0.6) {
            let type = fieldTypes[name] ?? .float
            let density = Double.random(in: 0.2...1, using: &rng)
            var bits: [UInt64] = []
            var present: [Bool] = []
            for _ in timestamps {
                if rng.chance(density) {
                    bits.append(value(type, &rng, extremeInts: extremeInts))
                    present.append(true)
                } else {
                    bits.append(rng.next()) // a missing slot's payload must be ignored
                    present.append(false)
                }
            }
            columns.append(FieldColumn(name: name, type: type, bits: bits, present: Bitmap(present)))
        }
        return ColumnarRows(timestamps: timestamps, columns: columns)
    }

    static func value(_ type: FieldType, _ rng: inout SeededRandom, extremeInts: Bool) -> UInt64 {
        switch type {
        case .float:
            let roll = Int.random(in: 0..<100, using: &rng)
            let v: Double = switch roll {
            case 0..<6: .nan
            case 6..<9: .infinity
            case 9..<12: -0.0
            case 12..<15: 0.0
            default: Double(Int.random(in: -400...400, using: &rng)) / 4
            }
            return v.bitPattern
        case .int:
            if extremeInts && rng.chance(0.15) { return UInt64(bitPattern: rng.pick([Int64.min, .max, -1])) }
            return UInt64(bitPattern: Int64.random(in: -1000...1000, using: &rng))
        case .bool:
            return rng.chance(0.5) ? 1 : 0
        case .uint:
            if extremeInts && rng.chance(0.15) { return rng.pick([UInt64.max, UInt64(Int64.max) + 1, 0]) }
            return UInt64.random(in: 0...2000, using: &rng)
        }
    }

    /// A query time range: everything, a slice between two instants near the data, or empty.
    static func range(_ runs: [ColumnarRows], _ rng: inout SeededRandom) -> (Int64, Int64) {
        let all = runs.flatMap(\.timestamps)
        guard !all.isEmpty, rng.chance(0.6) else { return (.min, .max) }
        let a = rng.pick(all), b = rng.pick(all)
        let jitterA = Int64.random(in: -1...1, using: &rng), jitterB = Int64.random(in: -1...1, using: &rng)
        return (CivilTime.saturatingAdd(min(a, b), jitterA), CivilTime.saturatingAdd(max(a, b), jitterB))
    }

    /// Rows `lo..<hi` of `rows`, every column included.
    static func slice(_ rows: ColumnarRows, _ lo: Int, _ hi: Int) -> ColumnarRows {
        let columns = rows.columns.map { c in
            FieldColumn(name: c.name, type: c.type, bits: Array(c.bits[lo..<hi]),
                        present: Bitmap((lo..<hi).map { c.present[$0] }))
        }
        return ColumnarRows(timestamps: Array(rows.timestamps[lo..<hi]), columns: columns)
    }
}
