/// Merging runs that are each strictly increasing: the usual case (one chunk, adjacent
/// chunks, or a sealed chunk and a few late rows). A k-way merge cuts the runs into
/// stretches that land on consecutive output rows, and each column is then built a
/// stretch at a time with bulk copies instead of row by row.
extension RunMerger {
    /// Rows `lo..<hi` of run `run` become output rows `out..<(out + hi - lo)`. When
    /// `collides`, row `lo` shares output row `out` with an earlier-arrived run's row.
    struct Stretch {
        var run: Int
        var lo: Int
        var hi: Int
        var out: Int
        var collides: Bool
    }

    static func mergeSorted(_ runs: [ColumnarRows], policy: DuplicatePolicy, schema: [(String, FieldType)],
                            from: Int64, toInclusive: Int64) -> ColumnarRows {
        let stretches = stretches(runs, from: from, toInclusive: toInclusive)
        var timestamps: [Int64] = []
        timestamps.reserveCapacity(stretches.last.map { $0.out + $0.hi - $0.lo } ?? 0)
        for stretch in stretches {
            timestamps.append(contentsOf: runs[stretch.run].timestamps[(stretch.collides ? stretch.lo + 1 : stretch.lo)..<stretch.hi])
        }
        var columns: [FieldColumn] = []
        columns.reserveCapacity(schema.count)
        for (name, type) in schema {
            columns.append(column(name, type, runs, stretches, rowCount: timestamps.count, policy: policy))
        }
        return ColumnarRows(timestamps: timestamps, columns: columns)
    }

    /// The stretches that make up the merge of `runs` (each strictly increasing) within
    /// [from, toInclusive], in output order. On equal timestamps the earlier run comes
    /// first, so duplicates fold in arrival order.
    static func stretches(_ runs: [ColumnarRows], from: Int64, toInclusive: Int64) -> [Stretch] {
        var next = runs.map { partition($0.timestamps, from, after: false) }
        let ends = runs.map { partition($0.timestamps, toInclusive, after: true) }
        var stretches: [Stretch] = []
        var lastTs: Int64?
        var rows = 0
        while true {
            var best = -1
            var bestTs = Int64.max
            for r in runs.indices where next[r] < ends[r] {
                let ts = runs[r].timestamps[next[r]]
                if best < 0 || ts < bestTs { best = r; bestTs = ts }
            }
            guard best >= 0 else { return stretches }
            // The best run's rows go out until another run's next row must come first:
            // an earlier run wins a tie, so stop before its timestamp; a later one after.
            // (`ts - 1` cannot overflow: an earlier run at `Int64.min` would have been best.)
            var limit = Int64.max
            for r in runs.indices where r != best && next[r] < ends[r] {
                let ts = runs[r].timestamps[next[r]]
                limit = min(limit, r < best ? ts - 1 : ts)
            }
            let lo = next[best]
            var hi = lo + 1
            runs[best].timestamps.withUnsafeBufferPointer { ts in
                if ts[ends[best] - 1] <= limit {
                    hi = ends[best]
                } else {
                    while hi < ends[best] && ts[hi] <= limit { hi += 1 }
                }
                let collides = lastTs == ts[lo]
                stretches.append(Stretch(run: best, lo: lo, hi: hi, out: rows - (collides ? 1 : 0), collides: collides))
                rows += hi - lo - (collides ? 1 : 0)
                lastTs = ts[hi - 1]
            }
            next[best] = hi
        }
    }

    /// One output column. A run column of another type is ignored (see `merge`).
    private static func column(_ name: String, _ type: FieldType, _ runs: [ColumnarRows], _ stretches: [Stretch],
                               rowCount: Int, policy: DuplicatePolicy) -> FieldColumn {
        let sources = runs.map { run -> FieldColumn? in
            guard let c = run.columnIndex(named: name), run.columns[c].type == type,
                  run.columns[c].bits.count == run.rowCount, run.columns[c].present.count == run.rowCount else { return nil }
            return run.columns[c]
        }
        // One run taken whole with every value present: share its arrays.
        if stretches.count == 1, let only = stretches.first, only.lo == 0, only.hi == runs[only.run].rowCount,
           let source = sources[only.run], source.present.allSet {
            return source
        }
        var bits = [UInt64](repeating: 0, count: rowCount)
        var present = Bitmap(count: rowCount, value: false)
        for stretch in stretches {
            guard let source = sources[stretch.run] else { continue }
            var lo = stretch.lo, out = stretch.out
            if stretch.collides {
                if source.present[lo] {
                    bits[out] = present[out] ? policy.resolve(old: bits[out], new: source.bits[lo], type: type) : source.bits[lo]
                    present[out] = true
                }
                lo += 1
                out += 1
            }
            guard lo < stretch.hi else { continue }
            let count = stretch.hi - lo
            if source.present.allSet(in: lo..<stretch.hi) {
                bits.withUnsafeMutableBufferPointer { target in
                    source.bits.withUnsafeBufferPointer { from in
                        (target.baseAddress! + out).update(from: from.baseAddress! + lo, count: count)
                    }
                }
                present.setAll(in: out..<(out + count))
            } else {
                for i in lo..<stretch.hi where source.present[i] {
                    bits[out + i - lo] = source.bits[i]
                    present[out + i - lo] = true
                }
            }
        }
        return FieldColumn(name: name, type: type, bits: bits, present: present)
    }
}
