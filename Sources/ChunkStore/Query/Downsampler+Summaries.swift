/// What a downsampler needs to take stored aggregates (a chunk's statistics, its rollup
/// cells) instead of rows. The planner (``StoreSnapshot/feedAggregates``) decides where
/// they may stand; these only map fields and fold statistics.
extension Downsampler {
    /// The chunk field of each queried field, or -1 (absent, or of another type than the
    /// field has elsewhere, which ``add(rows:range:)`` ignores too).
    mutating func fieldMap(_ chunkFields: [ChunkHeader.Field]) -> [Int] {
        if !lastLayout.isEmpty, Self.sameLayout(lastLayout, chunkFields) { return lastFieldMap }
        let map = freshFieldMap(chunkFields)
        lastLayout = chunkFields.map { ($0.name, $0.type) }
        lastFieldMap = map
        return map
    }

    /// Whether chunk fields have exactly these names and types, in this order. An index
    /// loop: zipping would copy every field, statistics included.
    private static func sameLayout(_ layout: [(name: String, type: FieldType)], _ fields: [ChunkHeader.Field]) -> Bool {
        guard layout.count == fields.count else { return false }
        for i in fields.indices where fields[i].type != layout[i].type || fields[i].name != layout[i].name { return false }
        return true
    }

    private mutating func freshFieldMap(_ chunkFields: [ChunkHeader.Field]) -> [Int] {
        var chunkField = [Int](repeating: -1, count: fields.count)
        for (f, name) in fields.enumerated() {
            guard let k = chunkFields.firstIndex(where: { $0.name == name }) else { continue }
            let type = chunkFields[k].type
            if types[f] == nil { types[f] = type }
            if types[f] == type { chunkField[f] = k }
        }
        return chunkField
    }

    /// The first and last timestamp of the queried fields' values among `stats`, or nil
    /// when none has a value (such a stretch feeds nothing: buckets without values are
    /// not reported).
    func valueSpan(_ chunkField: [Int], _ stats: (Int) -> FieldStats) -> ClosedRange<Int64>? {
        var span: ClosedRange<Int64>?
        for k in chunkField where k >= 0 {
            let s = stats(k)
            guard s.count > 0 else { continue }
            span = span.map { min($0.lowerBound, s.firstTimestamp)...max($0.upperBound, s.lastTimestamp) }
                ?? s.firstTimestamp...s.lastTimestamp
        }
        return span
    }

    /// Whether a span of values lies in the query range and in one bucket.
    func fits(_ span: ClosedRange<Int64>, from: Int64, toInclusive: Int64) -> Bool {
        guard span.lowerBound >= from && span.upperBound <= toInclusive else { return false }
        // Pieces come in time order, so most fall in the open bucket: no division then.
        if isInCurrentBucket(span.lowerBound) && isInCurrentBucket(span.upperBound) { return true }
        return bucketing.bucketStart(of: span.lowerBound) == bucketing.bucketStart(of: span.upperBound)
    }

    /// Folds statistics into the bucket holding `ts`, and `rows` (the rows they stand
    /// for) into ``tally`` when it is kept.
    mutating func feed(at ts: Int64, _ chunkField: [Int], rows: RowTally? = nil, _ stats: (Int) -> FieldStats) {
        if let rows { tally?.add(rows) }
        open(bucketOf: ts)
        for (f, k) in chunkField.enumerated() where k >= 0 {
            guard let type = types[f] else { continue }
            current[f].merge(stats(k), type: type)
        }
    }
}
