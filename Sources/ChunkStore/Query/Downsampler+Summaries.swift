/// Downsampling from stored aggregates: a chunk's statistics and its rollup cells.
///
/// Only a chunk that overlaps no other piece of the device (no other chunk, no head or
/// WAL rows) may be fed this way: its rows are then exactly the rows the duplicate
/// policy keeps, so its aggregates are too. The caller checks that.
extension Downsampler {
    /// Feeds a chunk that overlaps no other piece, as much as possible from its stored
    /// aggregates: the whole chunk's statistics when its values lie in one bucket and in
    /// `from...toInclusive`; otherwise each rollup cell whose values do; and the rows of
    /// the remaining cells (the range's ragged edges, buckets no cell fits in), decoded
    /// once by `decode` and clipped to the range.
    ///
    /// - Returns: false, having fed nothing, when the chunk has no rollup and its
    ///   statistics do not fit: the caller decodes it as any other piece.
    mutating func add(chunk summary: ChunkSummary, from: Int64, toInclusive: Int64,
                      decode: () throws -> ColumnarRows) rethrows -> Bool {
        let header = summary.header
        // The chunk field of each queried field, or -1 (absent, or of another type).
        var chunkField = [Int](repeating: -1, count: fields.count)
        for (f, name) in fields.enumerated() {
            guard let k = header.fields.firstIndex(where: { $0.name == name }) else { continue }
            let type = header.fields[k].type
            if types[f] == nil { types[f] = type }
            if types[f] == type { chunkField[f] = k }
        }
        if let span = valueSpan(chunkField) { header.fields[$0].stats },
           fits(span, from: from, toInclusive: toInclusive) {
            feed(at: span.lo, chunkField) { header.fields[$0].stats }
            return true
        }
        guard let rollup = summary.rollup else { return false }
        var rows: ColumnarRows?
        for (c, cellStart) in rollup.cellStarts.enumerated() {
            guard let span = valueSpan(chunkField, { rollup.stats[$0][c] }) else { continue }
            if fits(span, from: from, toInclusive: toInclusive) {
                feed(at: span.lo, chunkField) { rollup.stats[$0][c] }
                continue
            }
            let lo = max(cellStart, from), hi = min(cellStart + ChunkRollup.tierNanos - 1, toInclusive)
            guard lo <= hi else { continue }
            if rows == nil { rows = try decode() }
            if let rows, let range = Self.rows(of: rows, in: lo...hi) { add(rows: rows, range: range) }
        }
        return true
    }

    /// The first and last timestamp of the queried fields' values among `stats`, or nil
    /// when none has a value (the span then feeds nothing: buckets without values are
    /// not reported).
    private func valueSpan(_ chunkField: [Int], _ stats: (Int) -> FieldStats) -> (lo: Int64, hi: Int64)? {
        var span: (lo: Int64, hi: Int64)?
        for k in chunkField where k >= 0 {
            let s = stats(k)
            guard s.count > 0 else { continue }
            span = span.map { (min($0.lo, s.firstTimestamp), max($0.hi, s.lastTimestamp)) } ?? (s.firstTimestamp, s.lastTimestamp)
        }
        return span
    }

    /// Whether a span of values lies in the query range and in one bucket.
    private func fits(_ span: (lo: Int64, hi: Int64), from: Int64, toInclusive: Int64) -> Bool {
        span.lo >= from && span.hi <= toInclusive && bucketing.bucketStart(of: span.lo) == bucketing.bucketStart(of: span.hi)
    }

    /// Folds statistics into the bucket holding `ts`.
    private mutating func feed(at ts: Int64, _ chunkField: [Int], _ stats: (Int) -> FieldStats) {
        open(bucketOf: ts)
        for (f, k) in chunkField.enumerated() where k >= 0 {
            guard let type = types[f] else { continue }
            current[f].merge(stats(k), type: type)
        }
    }

    /// The rows of sorted `rows` whose timestamps lie in `range`, or nil if none.
    private static func rows(of rows: ColumnarRows, in range: ClosedRange<Int64>) -> Range<Int>? {
        let ts = rows.timestamps
        var low = 0, high = ts.count
        while low < high {
            let mid = (low + high) / 2
            if ts[mid] < range.lowerBound { low = mid + 1 } else { high = mid }
        }
        var end = low
        high = ts.count
        while end < high {
            let mid = (end + high) / 2
            if ts[mid] <= range.upperBound { end = mid + 1 } else { high = mid }
        }
        return low < end ? low..<end : nil
    }
}
