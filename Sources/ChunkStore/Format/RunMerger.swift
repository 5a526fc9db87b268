/// Merges overlapping row sets of one device into one deduplicated, time-ordered set.
///
/// A device's rows for a time range can be spread over several sealed chunks and the
/// writer's head, each possibly unsorted and holding duplicate timestamps. Queries need
/// one row per timestamp with every field's duplicates resolved by the store's
/// ``DuplicatePolicy`` in the order the values arrived.
///
/// Arrival order is defined by position: runs are given earlier-arrived first, and
/// within a run a later row arrived later. Sorting `(timestamp, run, row)` — a total
/// order, so no reliance on sort stability — lines duplicates up in exactly that order.
enum RunMerger {
    /// One input row, located by run and row index, keyed by its timestamp.
    private struct Entry {
        var ts: Int64
        var run: Int
        var row: Int
    }

    /// Rows of `runs` with `from <= ts <= toInclusive`, one per distinct timestamp, in
    /// strictly increasing order.
    ///
    /// - Parameters:
    ///   - runs: row sets in arrival order (earlier first); each may be unsorted.
    ///   - policy: folds duplicate values of one (timestamp, field), oldest first.
    ///     Dedup is per field: rows at one timestamp carrying different fields combine.
    ///   - fields: the output columns, in this order; nil selects every field of every
    ///     run, sorted by name. A field no run has becomes an all-missing `.float` column.
    /// - Returns: rows whose columns all have the output's row count. A timestamp is kept
    ///   even when none of the selected fields has a value there. Missing slots hold 0.
    ///
    /// A run column whose type differs from the first type seen for that name is ignored:
    /// the store keeps one type per field and device, so that only happens on corrupt input,
    /// and mixing payloads of two types would produce nonsense.
    static func merge(_ runs: [ColumnarRows], policy: DuplicatePolicy, fields: [String]?,
                      from: Int64, toInclusive: Int64) -> ColumnarRows {
        let schema = outputSchema(runs, fields: fields)
        guard from <= toInclusive else { return emptyResult(schema) }

        if runs.allSatisfy({ isStrictlyIncreasing($0.timestamps) }) {
            return mergeSorted(runs, policy: policy, schema: schema, from: from, toInclusive: toInclusive)
        }
        var single = ColumnarRows()
        if runs.count == 1, mergeSingleRun(runs[0], schema: schema, from: from, toInclusive: toInclusive, into: &single) {
            return single
        }

        // Gather in-range rows and order them by (ts, arrival).
        var entries: [Entry] = []
        entries.reserveCapacity(runs.reduce(0) { $0 + $1.rowCount })
        for (r, run) in runs.enumerated() {
            for (i, ts) in run.timestamps.enumerated() where ts >= from && ts <= toInclusive {
                entries.append(Entry(ts: ts, run: r, row: i))
            }
        }
        entries.sort { a, b in
            if a.ts != b.ts { return a.ts < b.ts }
            if a.run != b.run { return a.run < b.run }
            return a.row < b.row
        }

        // Output row of every entry: entries sharing a timestamp share a row.
        var outRow = [Int](repeating: 0, count: entries.count)
        var timestamps: [Int64] = []
        for (i, e) in entries.enumerated() {
            if let last = timestamps.last, last == e.ts {
                outRow[i] = timestamps.count - 1
            } else {
                outRow[i] = timestamps.count
                timestamps.append(e.ts)
            }
        }
        let rowCount = timestamps.count

        var columns: [FieldColumn] = []
        columns.reserveCapacity(schema.count)
        for (name, type) in schema {
            // This field's source arrays per run, or nil where the run lacks it.
            var srcBits: [[UInt64]?] = []
            var srcPresent: [Bitmap?] = []
            srcBits.reserveCapacity(runs.count)
            srcPresent.reserveCapacity(runs.count)
            for run in runs {
                if let c = run.columnIndex(named: name), run.columns[c].type == type {
                    srcBits.append(run.columns[c].bits)
                    srcPresent.append(run.columns[c].present)
                } else {
                    srcBits.append(nil)
                    srcPresent.append(nil)
                }
            }

            var bits = [UInt64](repeating: 0, count: rowCount)
            var present = Bitmap(count: rowCount, value: false)
            for (i, e) in entries.enumerated() {
                guard let p = srcPresent[e.run], p[e.row], let b = srcBits[e.run] else { continue }
                let o = outRow[i]
                let value = b[e.row]
                if present[o] {
                    bits[o] = policy.resolve(old: bits[o], new: value, type: type)
                } else {
                    bits[o] = value
                    present[o] = true
                }
            }
            columns.append(FieldColumn(name: name, type: type, bits: bits, present: present))
        }
        return ColumnarRows(timestamps: timestamps, columns: columns)
    }

    // MARK: Helpers

    /// Output column names and types: requested names in order (or all names, sorted),
    /// typed by the first run column of that name, `.float` when none has it.
    static func outputSchema(_ runs: [ColumnarRows], fields: [String]?) -> [(String, FieldType)] {
        var firstType: [String: FieldType] = [:]
        for run in runs {
            for column in run.columns where firstType[column.name] == nil {
                firstType[column.name] = column.type
            }
        }
        let names = fields ?? firstType.keys.sorted { $0.precedesInBytes($1) }
        return names.map { ($0, firstType[$0] ?? .float) }
    }

    private static func emptyResult(_ schema: [(String, FieldType)]) -> ColumnarRows {
        ColumnarRows(timestamps: [], columns: schema.map { FieldColumn(name: $0.0, type: $0.1) })
    }

    /// Branch-free over the whole array, so it vectorizes: queries call it on every
    /// decoded chunk.
    static func isStrictlyIncreasing(_ ts: [Int64]) -> Bool {
        ts.withUnsafeBufferPointer { p in
            guard p.count > 1 else { return true }
            var disorder: UInt8 = 0
            for i in 1..<p.count { disorder |= p[i - 1] >= p[i] ? 1 : 0 }
            return disorder == 0
        }
    }

    /// First index in sorted `ts` whose value is not less than `bound` (or `> bound`
    /// when `after` is set).
    static func partition(_ ts: [Int64], _ bound: Int64, after: Bool) -> Int {
        var lo = 0, hi = ts.count
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            let goesLeft = after ? ts[mid] <= bound : ts[mid] < bound
            if goesLeft { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
