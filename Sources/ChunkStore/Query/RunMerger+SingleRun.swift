/// The merge of one nearly sorted run without duplicates: what sealing a head buffer
/// almost always is.
///
/// A head buffer holds a device-day in arrival order. Readings arrive mostly in time
/// order, with a few late ones appended after newer rows, and duplicates are rare. The
/// general merge sorts an entry per row and resolves every slot through the policy;
/// here the rows are split into the ascending rows (each later than every row kept
/// before it) and the few late ones, only the late ones are sorted, the two lists are
/// merged, and each column is gathered once through the resulting order.
extension RunMerger {
    /// `run`'s rows in `from...toInclusive` in strictly increasing time order, with
    /// `schema`'s columns; nil when two rows share a timestamp (the policy must resolve
    /// them: the caller takes the general path). Same output as the general path.
    static func mergeSingleRun(_ run: ColumnarRows, schema: [(String, FieldType)],
                               from: Int64, toInclusive: Int64) -> ColumnarRows? {
        // Malformed rows (a column of the wrong length) are left to the general path.
        guard run.columns.allSatisfy({ $0.bits.count == run.rowCount }) else { return nil }
        guard let order = timeOrder(run.timestamps, from: from, toInclusive: toInclusive) else { return nil }
        var timestamps = [Int64](repeating: 0, count: order.count)
        run.timestamps.withUnsafeBufferPointer { src in
            timestamps.withUnsafeMutableBufferPointer { dst in
                for (o, i) in order.enumerated() { dst[o] = src[i] }
            }
        }
        var columns: [FieldColumn] = []
        columns.reserveCapacity(schema.count)
        for (name, type) in schema {
            if let c = run.columnIndex(named: name), run.columns[c].type == type {
                columns.append(gather(run.columns[c], order: order))
            } else {
                columns.append(FieldColumn(name: name, type: type, bits: [UInt64](repeating: 0, count: order.count),
                                           present: Bitmap(count: order.count, value: false)))
            }
        }
        return ColumnarRows(timestamps: timestamps, columns: columns)
    }

    /// Row indices of the in-range rows ordered by (timestamp, index); nil if a timestamp repeats.
    static func timeOrder(_ ts: [Int64], from: Int64, toInclusive: Int64) -> [Int]? {
        var ascending: [Int] = []
        var late: [Int] = []
        ascending.reserveCapacity(ts.count)
        return ts.withUnsafeBufferPointer { t -> [Int]? in
            var last = Int64.min
            var any = false
            for i in 0..<t.count {
                let x = t[i]
                guard x >= from && x <= toInclusive else { continue }
                if !any || x > last {
                    ascending.append(i)
                    last = x
                    any = true
                } else {
                    late.append(i)
                }
            }
            guard !late.isEmpty else { return ascending }
            late.sort { t[$0] != t[$1] ? t[$0] < t[$1] : $0 < $1 }
            // Merge; equal timestamps are duplicates, which this path does not resolve.
            var order: [Int] = []
            order.reserveCapacity(ascending.count + late.count)
            var a = 0, b = 0
            while a < ascending.count && b < late.count {
                let x = t[ascending[a]], y = t[late[b]]
                if x == y { return nil }
                if x < y {
                    order.append(ascending[a]); a += 1
                } else {
                    order.append(late[b]); b += 1
                }
            }
            order.append(contentsOf: ascending[a...])
            order.append(contentsOf: late[b...])
            for k in 1..<order.count where t[order[k - 1]] == t[order[k]] { return nil }
            return order
        }
    }

    /// `column`'s slots at `order`, missing slots zeroed.
    private static func gather(_ column: FieldColumn, order: [Int]) -> FieldColumn {
        let m = order.count
        let allPresent = column.present.count == column.bits.count && column.present.popCount == column.bits.count
        var bits = [UInt64](repeating: 0, count: m)
        if allPresent {
            column.bits.withUnsafeBufferPointer { src in
                bits.withUnsafeMutableBufferPointer { dst in
                    for (o, i) in order.enumerated() { dst[o] = src[i] }
                }
            }
            return FieldColumn(name: column.name, type: column.type, bits: bits, present: Bitmap(count: m, value: true))
        }
        var words = [UInt64](repeating: 0, count: (m + 63) >> 6)
        let present = column.present
        column.bits.withUnsafeBufferPointer { src in
            bits.withUnsafeMutableBufferPointer { dst in
                words.withUnsafeMutableBufferPointer { out in
                    for (o, i) in order.enumerated() where i < present.count && present[i] {
                        dst[o] = src[i]
                        out[o >> 6] |= 1 &<< UInt64(o & 63)
                    }
                }
            }
        }
        return FieldColumn(name: column.name, type: column.type, bits: bits, present: Bitmap(words: words, count: m))
    }
}
