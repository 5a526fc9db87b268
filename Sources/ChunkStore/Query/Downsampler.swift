/// Computes a downsampling query's buckets for one device from pieces fed in time order.
///
/// The storage layer decides, chunk by chunk, whether it must decode rows or can use a
/// chunk's header statistics: a chunk that overlaps no other data and lies wholly inside
/// one bucket needs no decompression. The downsampler accepts both kinds of piece,
///
/// - ``add(rows:)``: rows already merged by ``RunMerger`` (deduplicated, sorted), and
/// - ``feed(at:_:_:)``: a chunk's statistics or a rollup cell's, whose values lie in one
///   bucket (the planner, ``StoreSnapshot/feedAggregates``, decides where they may stand),
///
/// and gives identical results either way (see ``FieldAggregate``). Pieces must not
/// overlap in time and should come in ascending time order; then only the current
/// bucket is open and finished buckets are final. Out-of-order pieces are tolerated
/// (buckets are sorted and combined in ``finish()``); the only difference is which of
/// two equal min/max values (say 0.0 and -0.0) is reported.
///
/// A bucket appears in the output when at least one row of the device falls in it, even
/// if none of the queried fields has a value there (those aggregates are nil); buckets
/// without rows are omitted. Clipping to the query's time range is the caller's job:
/// every piece is taken to be inside it.
struct Downsampler: Sendable {
    /// The device named in every output row.
    let device: String
    /// Queried field names; a name may repeat.
    let fields: [String]
    /// Functions computed for every field.
    let functions: [AggregateFunction]
    let bucketing: Bucketing

    /// Each queried field's type, learned from the first piece that carries it.
    var types: [FieldType?]
    /// Starts of the buckets closed so far.
    private var closedStarts: [Int64] = []
    /// Their aggregates, `fields.count` per bucket in bucket order (one flat array, so
    /// closing a bucket allocates nothing).
    private var closedAggregates: [FieldAggregate] = []
    /// The open bucket, if any piece has been fed.
    private var currentStart: Int64 = 0
    private var currentEnd: Int64 = 0
    var current: [FieldAggregate]
    private var hasCurrent = false
    /// Set when a piece landed in a bucket before the open one.
    private var outOfOrder = false
    /// The device's rows fed so far, kept only when set non-nil before feeding (the fleet
    /// summary's row counts). Then the planner feeds stored aggregates only where it
    /// knows their rows (``feed(at:_:rows:_:)``).
    var tally: RowTally?
    /// The names and types of the chunk fields the last ``fieldMap(_:)`` mapped, and its
    /// answer: consecutive chunks of a device almost always share their layout. (Two
    /// plain arrays: an optional tuple would be copied, arrays retained, on each check.)
    var lastLayout: [(name: String, type: FieldType)] = []
    var lastFieldMap: [Int] = []

    init(device: String, fields: [String], functions: [AggregateFunction], bucketing: Bucketing) {
        self.device = device
        self.fields = fields
        self.functions = functions
        self.bucketing = bucketing
        types = Array(repeating: nil, count: fields.count)
        current = Array(repeating: FieldAggregate(), count: fields.count)
    }

    /// A downsampler for one device of `query`; throws when the bucket width is not positive.
    init(query: DownsampleQuery, device: String) throws(StoreError) {
        self.init(device: device, fields: query.fields, functions: query.functions,
                  bucketing: try Bucketing(query.bucket))
    }

    /// Feeds merged rows of the device: strictly increasing timestamps, one value per
    /// (timestamp, field). Rows may span many buckets.
    mutating func add(rows: ColumnarRows) {
        add(rows: rows, range: 0..<rows.rowCount)
    }

    /// Feeds rows `range` of `rows` (as ``add(rows:)``): a stretch of one decoded chunk
    /// fed in place, without merging it into a copy first.
    mutating func add(rows: ColumnarRows, range: Range<Int>) {
        let n = range.upperBound
        guard !range.isEmpty, n <= rows.rowCount else { return }
        if tally != nil {
            // Strictly increasing rows: the ends of the stretch are its first and last.
            tally?.add(count: range.count, first: rows.timestamps[range.lowerBound], last: rows.timestamps[n - 1])
        }
        // Column of each queried field in this piece, or -1.
        var columnOf = [Int](repeating: -1, count: fields.count)
        for (f, name) in fields.enumerated() {
            guard let c = rows.columnIndex(named: name) else { continue }
            let type = rows.columns[c].type
            if types[f] == nil { types[f] = type }
            // A column whose type disagrees with the field's known type is ignored
            // rather than mixing payloads of two types.
            if types[f] == type { columnOf[f] = c }
        }

        rows.timestamps.withUnsafeBufferPointer { all in
            let ts = UnsafeBufferPointer(rebasing: all[..<n])
            var lo = range.lowerBound
            while lo < n {
                open(bucketOf: ts[lo])
                let hi = endOfCurrentBucket(ts, from: lo + 1)
                for f in 0..<fields.count where columnOf[f] >= 0 {
                    current[f].add(rows.columns[columnOf[f]], timestamps: ts, rows: lo..<hi)
                }
                lo = hi
            }
        }
    }

    /// All buckets fed so far, in ascending order of start. Does not consume the state,
    /// so it may be called again after more pieces are fed.
    func finish() -> [DownsampleRow] {
        guard !outOfOrder else {
            return buckets().compactMap { row(start: $0.start, aggregates: $0.aggregates[...]) }
        }
        let width = fields.count
        var result: [DownsampleRow] = []
        result.reserveCapacity(closedStarts.count + 1)
        for (b, start) in closedStarts.enumerated() {
            if let row = row(start: start, aggregates: closedAggregates[b * width..<(b + 1) * width]) { result.append(row) }
        }
        if hasCurrent, let row = row(start: currentStart, aggregates: current[...]) { result.append(row) }
        return result
    }

    /// The output row of one bucket, or nil when none of the queried fields has a value
    /// there (an empty bucket is omitted).
    private func row(start: Int64, aggregates: ArraySlice<FieldAggregate>) -> DownsampleRow? {
        guard aggregates.contains(where: { $0.count > 0 }) else { return nil }
        let base = aggregates.startIndex
        var values: [FieldValue?] = []
        values.reserveCapacity(fields.count * functions.count)
        for f in 0..<fields.count {
            for fn in functions {
                if let type = types[f] {
                    values.append(aggregates[base + f].value(fn, type: type))
                } else {
                    values.append(nil)
                }
            }
        }
        return DownsampleRow(device: device, bucketStart: start, values: values)
    }

    /// Every bucket fed so far with its aggregates (one per queried field), ascending and
    /// including those in which no queried field has a value: for callers that fold the
    /// aggregates themselves (the fleet summary). Like ``finish()``, does not consume the state.
    func buckets() -> [(start: Int64, aggregates: [FieldAggregate])] {
        let width = fields.count
        var buckets: [(start: Int64, aggregates: [FieldAggregate])] = []
        buckets.reserveCapacity(closedStarts.count + 1)
        for (b, start) in closedStarts.enumerated() {
            buckets.append((start, Array(closedAggregates[b * width..<(b + 1) * width])))
        }
        if hasCurrent { buckets.append((currentStart, current)) }
        return outOfOrder ? Self.coalesce(buckets, types: types) : buckets
    }

    // MARK: Internals

    /// Whether `ts` belongs to the open bucket. The end comparison suffices except at the
    /// top of the range, where a saturated end of `Int64.max` may include `Int64.max`.
    @inline(__always)
    private func inCurrentBucket(_ ts: Int64) -> Bool {
        if ts >= currentStart && ts < currentEnd { return true }
        return currentEnd == .max && bucketing.bucketStart(of: ts) == currentStart
    }

    /// Whether `ts` lies in the open bucket, checked without computing any bucket
    /// (false for the topmost saturated bucket, which callers then compute). Kept apart
    /// from `inCurrentBucket`: routing it through that one's saturation branch cost 10 %
    /// of a year of daily buckets.
    @inline(__always)
    func isInCurrentBucket(_ ts: Int64) -> Bool {
        hasCurrent && ts >= currentStart && ts < currentEnd
    }

    /// Makes the bucket holding `ts` the open one, closing the previous one if different.
    mutating func open(bucketOf ts: Int64) {
        if hasCurrent && inCurrentBucket(ts) { return }
        let start = bucketing.bucketStart(of: ts)
        if hasCurrent {
            if start < currentStart { outOfOrder = true }
            closedStarts.append(currentStart)
            closedAggregates.append(contentsOf: current)
            for f in current.indices { current[f] = FieldAggregate() }
        }
        currentStart = start
        currentEnd = bucketing.bucketEnd(startingAt: start)
        hasCurrent = true
    }

    /// The first index at or after `start` whose timestamp leaves the open bucket
    /// (`ts` is strictly increasing): a binary search, as a bucket often spans hundreds of rows.
    private func endOfCurrentBucket(_ ts: UnsafeBufferPointer<Int64>, from start: Int) -> Int {
        if currentEnd == .max {
            var i = start
            while i < ts.count, inCurrentBucket(ts[i]) { i += 1 }
            return i
        }
        var low = start, high = ts.count
        while low < high {
            let mid = (low + high) / 2
            if ts[mid] < currentEnd { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Sorts buckets by start and merges those with equal starts (pieces fed out of order).
    private static func coalesce(_ buckets: [(start: Int64, aggregates: [FieldAggregate])],
                                 types: [FieldType?]) -> [(start: Int64, aggregates: [FieldAggregate])] {
        // Sorting by (start, original position) keeps equal-start buckets in feed order.
        let order = buckets.indices.sorted { a, b in
            buckets[a].start != buckets[b].start ? buckets[a].start < buckets[b].start : a < b
        }
        var out: [(start: Int64, aggregates: [FieldAggregate])] = []
        for i in order {
            let bucket = buckets[i]
            if let last = out.last, last.start == bucket.start {
                var merged = last.aggregates
                for f in merged.indices {
                    guard let type = types[f] else { continue }
                    merged[f].merge(bucket.aggregates[f], type: type)
                }
                out[out.count - 1].aggregates = merged
            } else {
                out.append(bucket)
            }
        }
        return out
    }
}
