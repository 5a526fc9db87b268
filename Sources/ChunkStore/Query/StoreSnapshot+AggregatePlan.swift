/// The downsampling planner: which stretches of a cluster its stored aggregates answer,
/// and which must be decoded (Formats/SPEC.md, "Downsampling from aggregates").
extension StoreSnapshot {
    /// A stretch of time answered by one of a chunk's rollup cells, fed at `at` (nil: the
    /// stretch holds no value of a queried field). (A lone chunk's whole statistics are
    /// fed by ``feedLoneChunk``.)
    private struct Covered {
        var start: Int64
        var end: Int64
        var at: Int64?
        var piece: Int
        var cell: Int
        /// The rows the stretch stands for, when the downsampler keeps a ``RowTally``.
        var rows: RowTally?
    }

    /// Feeds one cluster, from stored aggregates where they may stand and from decoded
    /// rows elsewhere, in time order.
    ///
    /// A chunk's aggregates stand for its rows only where no other piece of the cluster
    /// (another chunk, head rows) has rows: there the chunk's rows are exactly those the
    /// duplicate policy keeps. So a lone chunk may give its whole statistics (when its
    /// values fall in one bucket inside the range); and every rollup cell that no other
    /// piece's span touches may give its own (when its values fall in one bucket inside
    /// the range). Everything between is decoded, clipped and merged as before.
    ///
    /// When the downsampler keeps a ``Downsampler/tally`` (row counts), an aggregate
    /// stands only where its rows are known too, and all of them must fall in the range
    /// and one bucket: a chunk's rows are its index entry's count and span; a rollup
    /// cell's are those of a field present in every row of the chunk (its count equals
    /// the chunk's rows), and cells of a chunk without such a field are decoded.
    ///
    /// - Returns: false, having fed nothing, when no aggregate could be used.
    func feedAggregates(_ cluster: Cluster, fields: [String], from: Int64, toInclusive: Int64,
                        reader: DataFileReader, into downsampler: inout Downsampler) throws -> Bool {
        // The common cases, a lone chunk whose values fall in one bucket or whose rollup
        // cells each do, without the planning arrays below.
        if cluster.pieces.count == 1, case .chunk(let entry) = cluster.pieces[0],
           try feedLoneChunk(entry, from: from, toInclusive: toInclusive, reader: reader, into: &downsampler) {
            return true
        }
        var covered: [Covered] = []
        var summaries: [ChunkSummary?] = Array(repeating: nil, count: cluster.pieces.count)
        var maps: [[Int]] = Array(repeating: [], count: cluster.pieces.count)
        for (i, piece) in cluster.pieces.enumerated() {
            guard case .chunk(let entry) = piece else { continue }
            let summary = try reader.summary(entry)
            summaries[i] = summary
            maps[i] = downsampler.fieldMap(summary.fields)
            let map = maps[i]
            let counting = downsampler.tally != nil
            guard let rollup = summary.rollup else { continue }
            // Counting rows, a cell's rows are those of a field present in every row.
            let dense = summary.header.fields.firstIndex { $0.stats.count == summary.header.rowCount }
            if counting && dense == nil { continue }
            for (c, start) in rollup.cellStarts.enumerated() {
                let end = ChunkRollup.cellLast(ofCellStarting: start)
                guard end >= from, start <= toInclusive else { continue }
                let alone = cluster.spans.indices.allSatisfy { j in
                    j == i || cluster.spans[j].upperBound < start || cluster.spans[j].lowerBound > end
                }
                guard alone else { continue }
                let rows = counting ? dense.map { Self.rows(of: rollup.stats[$0][c]) } : nil
                let span = rows?.span ?? downsampler.valueSpan(map) { rollup.stats[$0][c] }
                guard span.map({ downsampler.fits($0, from: from, toInclusive: toInclusive) }) ?? true else { continue }
                covered.append(Covered(start: start, end: end, at: span?.lowerBound, piece: i, cell: c, rows: rows))
            }
        }
        guard !covered.isEmpty else { return false }
        covered.sort { $0.start < $1.start }

        var runs: [ColumnarRows?] = Array(repeating: nil, count: cluster.pieces.count)
        var cursor = max(cluster.minTimestamp, from)
        let last = min(cluster.maxTimestamp, toInclusive)
        for stretch in covered {
            if cursor < stretch.start {
                try feedRows(cluster, runs: &runs, fields: fields, from: cursor, toInclusive: min(stretch.start - 1, last),
                             reader: reader, into: &downsampler)
            }
            if let at = stretch.at, let rollup = summaries[stretch.piece]?.rollup {
                downsampler.feed(at: at, maps[stretch.piece], rows: stretch.rows) { rollup.stats[$0][stretch.cell] }
            }
            guard stretch.end < last else { return true }
            cursor = max(cursor, stretch.end + 1)
        }
        if cursor <= last {
            try feedRows(cluster, runs: &runs, fields: fields, from: cursor, toInclusive: last, reader: reader, into: &downsampler)
        }
        return true
    }

    /// Feeds a chunk that overlaps no other piece from its statistics when its values fall
    /// in one bucket inside the range (say a day of a compacted store in daily buckets),
    /// or from its rollup cells when each of theirs does; otherwise feeds nothing and
    /// returns false. The common cases, without the planning arrays of ``feedAggregates``.
    func feedLoneChunk(_ entry: IndexChunkEntry, from: Int64, toInclusive: Int64,
                       reader: DataFileReader, into downsampler: inout Downsampler) throws -> Bool {
        // When all the chunk's rows fit, its statistics will: the header suffices (no
        // rollup decoded).
        let whole = downsampler.fits(entry.minTimestamp...entry.maxTimestamp, from: from, toInclusive: toInclusive)
        let summary = try reader.summary(entry, rollup: !whole)
        let fields = summary.fields
        let map = downsampler.fieldMap(fields)
        let rows = downsampler.tally == nil ? nil : Self.rows(of: entry)
        guard let span = rows?.span ?? downsampler.valueSpan(map, { fields[$0].stats }) else { return true }
        if downsampler.fits(span, from: from, toInclusive: toInclusive) {
            downsampler.feed(at: span.lowerBound, map, rows: rows) { fields[$0].stats }
            return true
        }
        guard rows == nil, let rollup = summary.rollup else { return false }
        return Self.feedCells(of: rollup, map: map, from: from, toInclusive: toInclusive, into: &downsampler)
    }

    /// Feeds every rollup cell of a lone chunk that reaches into the range, when each
    /// cell's values lie in the range and in one bucket (hourly cells in buckets of whole
    /// hours, away from a ragged edge of the range); otherwise feeds nothing and returns
    /// false, for the general plan. A lone chunk's rows are exactly its cells' rows, so
    /// nothing between the cells needs decoding. Rows are not counted (no ``RowTally``).
    private static func feedCells(of rollup: ChunkRollup, map: [Int], from: Int64, toInclusive: Int64,
                                  into downsampler: inout Downsampler) -> Bool {
        let cells = rollup.cellStarts.count
        // The cells that reach into the range: [first, end).
        var first = 0
        while first < cells, ChunkRollup.cellLast(ofCellStarting: rollup.cellStarts[first]) < from { first += 1 }
        var end = first
        while end < cells, rollup.cellStarts[end] <= toInclusive { end += 1 }
        // With buckets made of whole cells, a cell inside the range fits whatever its values.
        let whole = downsampler.bucketing.holdsWholeCells(of: ChunkRollup.tierNanos)
        for c in first..<end {
            let start = rollup.cellStarts[c]
            if whole && start >= from && ChunkRollup.cellLast(ofCellStarting: start) <= toInclusive { continue }
            guard let span = downsampler.valueSpan(map, { rollup.stats[$0][c] }) else { continue }
            if !downsampler.fits(span, from: from, toInclusive: toInclusive) { return false }
        }
        for c in first..<end {
            guard let span = downsampler.valueSpan(map, { rollup.stats[$0][c] }) else { continue }
            downsampler.feed(at: span.lowerBound, map) { rollup.stats[$0][c] }
        }
        return true
    }

    /// The rows a sealed chunk holds (sealing resolved its duplicates).
    private static func rows(of entry: IndexChunkEntry) -> RowTally {
        RowTally(count: entry.rowCount, first: entry.minTimestamp, last: entry.maxTimestamp)
    }

    /// The rows of a rollup cell, from the statistics of a field present in every row.
    private static func rows(of dense: FieldStats) -> RowTally {
        RowTally(count: dense.count, first: dense.firstTimestamp, last: dense.lastTimestamp)
    }

    /// Feeds the decoded rows of a cluster in `from...toInclusive`, decoding (once) only
    /// the pieces whose spans reach into it. Sorted pieces that share no timestamp (a
    /// chunk and late rows that filled its gaps) are fed stretch by stretch in place;
    /// the rest are merged by the duplicate policy first. Decoded chunks are strictly
    /// increasing (the chunk decoder checks); head buffers are in arrival order and
    /// checked here.
    func feedRows(_ cluster: Cluster, runs: inout [ColumnarRows?], fields: [String], from: Int64, toInclusive: Int64,
                  reader: DataFileReader, into downsampler: inout Downsampler) throws {
        guard from <= toInclusive else { return }
        var selected: [ColumnarRows] = []
        var sorted = true
        for (i, piece) in cluster.pieces.enumerated()
        where cluster.spans[i].upperBound >= from && cluster.spans[i].lowerBound <= toInclusive {
            let rows = try runs[i] ?? reader.rows(of: piece, fields: fields, cached: true)
            runs[i] = rows
            selected.append(rows)
            if sorted, !piece.isSortedChunk, !RunMerger.isStrictlyIncreasing(rows.timestamps) { sorted = false }
        }
        if sorted {
            let stretches = RunMerger.stretches(selected, from: from, toInclusive: toInclusive)
            if !stretches.contains(where: \.collides) {
                for stretch in stretches { downsampler.add(rows: selected[stretch.run], range: stretch.lo..<stretch.hi) }
                return
            }
        }
        downsampler.add(rows: RunMerger.merge(selected, policy: policy, fields: fields, from: from, toInclusive: toInclusive))
    }
}
