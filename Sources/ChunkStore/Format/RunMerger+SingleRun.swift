/// The merge of one nearly sorted run without duplicates: what sealing a head buffer
/// almost always is.
///
/// A head buffer holds a device-day in arrival order. Readings arrive mostly in time
/// order, with a few late ones appended after newer rows, and duplicates are rare. The
/// general merge sorts an entry per row and resolves every slot through the policy.
/// Here the rows that are later than every row before them form a few long ranges of
/// ascending timestamps; only the other (late) rows are sorted and placed between them
/// by binary search. The order is a list of index ranges, so each column is copied a
/// range at a time.
extension RunMerger {
    /// `merge([run], policy: policy, fields: nil, from: .min, toInclusive: .max)` into
    /// `out`, reusing the storage of `out`'s arrays where nothing else references them.
    /// Sealing merges every head buffer in turn; fresh arrays of several hundred KB for
    /// each would cost page faults and cache misses on every chunk.
    static func merge(_ run: ColumnarRows, policy: DuplicatePolicy, into out: inout ColumnarRows) {
        let schema = outputSchema([run], fields: nil)
        if !mergeSingleRun(run, schema: schema, from: .min, toInclusive: .max, into: &out) {
            out = merge([run], policy: policy, fields: nil, from: .min, toInclusive: .max)
        }
    }

    /// Writes into `out` `run`'s rows in `from...toInclusive` in strictly increasing time
    /// order, with `schema`'s columns, and returns true; returns false (leaving `out`
    /// unspecified) when two rows share a timestamp: the policy must resolve them, so the
    /// caller takes the general path. Same output as the general path.
    static func mergeSingleRun(_ run: ColumnarRows, schema: [(String, FieldType)],
                               from: Int64, toInclusive: Int64, into out: inout ColumnarRows) -> Bool {
        // Malformed rows (a column of the wrong length) are left to the general path.
        guard run.columns.allSatisfy({ $0.bits.count == run.rowCount }) else { return false }
        guard let order = timeOrder(run.timestamps, from: from, toInclusive: toInclusive) else { return false }
        let m = order.reduce(0) { $0 + $1.count }
        gather(run.timestamps, order, count: m, into: &out.timestamps)
        // Taken out so that each reused array is uniquely referenced while refilled.
        var old: [FieldColumn] = []
        swap(&old, &out.columns)
        out.columns.reserveCapacity(schema.count)
        for (j, (name, type)) in schema.enumerated() {
            var bits: [UInt64] = []
            if j < old.count { swap(&bits, &old[j].bits) }
            if let c = run.columnIndex(named: name), run.columns[c].type == type {
                out.columns.append(gather(run.columns[c], order: order, count: m, into: &bits))
            } else {
                bits.removeAll(keepingCapacity: true)
                bits.append(contentsOf: repeatElement(0, count: m))
                out.columns.append(FieldColumn(name: name, type: type, bits: bits, present: Bitmap(count: m, value: false)))
            }
        }
        return true
    }

    /// The in-range rows ordered by (timestamp, index), as consecutive index ranges;
    /// nil if a timestamp repeats.
    static func timeOrder(_ ts: [Int64], from: Int64, toInclusive: Int64) -> [Range<Int>]? {
        ts.withUnsafeBufferPointer { t -> [Range<Int>]? in
            // Ranges of rows each later than all kept before it; every other in-range row is late.
            var ascending: [Range<Int>] = []
            var late: [Int] = []
            var last = Int64.min
            var any = false
            var runStart = 0
            for i in 0..<t.count {
                let x = t[i]
                let inRange = x >= from && x <= toInclusive
                if inRange && (!any || x > last) {
                    last = x
                    any = true
                    continue
                }
                if runStart < i { ascending.append(runStart..<i) }
                if inRange { late.append(i) }
                runStart = i + 1
            }
            if runStart < t.count { ascending.append(runStart..<t.count) }
            guard !late.isEmpty else { return ascending }

            late.sort { t[$0] != t[$1] ? t[$0] < t[$1] : $0 < $1 }
            for k in 1..<late.count where t[late[k - 1]] == t[late[k]] { return nil }
            // A late row is never later than the last ascending row, so each lands inside
            // or before some range: split that range where the row belongs.
            var order: [Range<Int>] = []
            order.reserveCapacity(ascending.count + 2 * late.count)
            var l = 0
            for range in ascending {
                var rest = range
                while l < late.count, t[late[l]] <= t[rest.upperBound - 1] {
                    let y = t[late[l]]
                    var lo = rest.lowerBound, hi = rest.upperBound
                    while lo < hi {
                        let mid = lo + (hi - lo) / 2
                        if t[mid] <= y { lo = mid + 1 } else { hi = mid }
                    }
                    if lo > rest.lowerBound {
                        if t[lo - 1] == y { return nil }
                        order.append(rest.lowerBound..<lo)
                    }
                    order.append(late[l]..<late[l] + 1)
                    rest = lo..<rest.upperBound
                    l += 1
                }
                order.append(rest)
            }
            for i in late[l...] { order.append(i..<i + 1) }
            return order
        }
    }

    private static func gather<T>(_ source: [T], _ order: [Range<Int>], count: Int, into out: inout [T]) {
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(count)
        for range in order { out.append(contentsOf: source[range]) }
    }

    /// `column`'s slots in `order`, missing slots zeroed, written to `bits`' storage.
    private static func gather(_ column: FieldColumn, order: [Range<Int>], count m: Int,
                               into bits: inout [UInt64]) -> FieldColumn {
        let allPresent = column.present.count == column.bits.count && column.present.popCount == column.bits.count
        if allPresent {
            gather(column.bits, order, count: m, into: &bits)
            return FieldColumn(name: column.name, type: column.type, bits: bits, present: Bitmap(count: m, value: true))
        }
        bits.removeAll(keepingCapacity: true)
        bits.append(contentsOf: repeatElement(0, count: m))
        var words = [UInt64](repeating: 0, count: (m + 63) >> 6)
        let present = column.present
        column.bits.withUnsafeBufferPointer { src in
            bits.withUnsafeMutableBufferPointer { dst in
                words.withUnsafeMutableBufferPointer { out in
                    var o = 0
                    for range in order {
                        for i in range {
                            if i < present.count && present[i] {
                                dst[o] = src[i]
                                out[o >> 6] |= 1 &<< UInt64(o & 63)
                            }
                            o += 1
                        }
                    }
                }
            }
        }
        return FieldColumn(name: column.name, type: column.type, bits: bits, present: Bitmap(words: words, count: m))
    }
}
