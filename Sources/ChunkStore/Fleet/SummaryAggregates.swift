/// What the fleet summary takes from stored aggregates (chunk statistics, hourly rollup
/// cells) instead of rows, through the downsampling planner
/// (``StoreSnapshot/feedAggregates``): the planner decides where an aggregate may stand
/// for its rows and decodes rows everywhere else, so the answers are the row path's.
enum SummaryAggregates {
    /// A bucket width so wide that any range falls in at most four buckets: the whole
    /// range is, in effect, one bucket.
    static let wholeRange: Int64 = 1 << 62

    /// What one pass gives.
    struct Found {
        /// The device's rows in the range.
        var rows: RowTally
        /// Each field's count, mean, min and max (fields without a value left out).
        var fields: [DeviceSummary.FieldStatistics]
        /// The profile field's sums and counts per UTC hour of day (0-23); nil when not
        /// asked for, or when an hour's sum is not finite (the row path skips non-finite
        /// values, which a sum cannot).
        var hourly: (sums: [Double], counts: [Int])?
    }

    /// One device's rows (count, first and last timestamp) and each field's count, mean,
    /// min and max over `from...toInclusive`, as the row path computes them; with a
    /// `profileField`, also its hourly sums and counts (then the pass runs in one-hour
    /// buckets, answered by rollup cells, instead of one bucket for the whole range,
    /// answered by a chunk's own statistics). Nil when a field's sum is not finite: NaN
    /// and infinite values are left to the row path, whose arithmetic defines the answer.
    static func statistics(_ snapshot: StoreSnapshot, device: String, fields: [String], profileField: String?,
                           from: Int64, toInclusive: Int64, reader: DataFileReader) throws -> Found? {
        var queried = fields
        if let profileField, !queried.contains(profileField) { queried.append(profileField) }
        let width = profileField == nil ? wholeRange : SummaryMath.hour
        var downsampler = Downsampler(device: device, fields: queried, functions: [], bucketing: try Bucketing(.nanoseconds(width)))
        downsampler.tally = RowTally()
        try snapshot.feed(device: device, from: from, toInclusive: toInclusive, reader: reader, into: &downsampler)
        var totals = Array(repeating: FieldAggregate(), count: queried.count)
        let profile = profileField.flatMap { queried.firstIndex(of: $0) }
        var sums = [Double](repeating: 0, count: 24), counts = [Int](repeating: 0, count: 24)
        var finiteHours = true
        for bucket in downsampler.buckets() {
            for f in queried.indices {
                if let type = downsampler.types[f] { totals[f].merge(bucket.aggregates[f], type: type) }
            }
            if let p = profile, bucket.aggregates[p].count > 0 {
                let h = SummaryMath.hourOfDay(bucket.start)
                sums[h] += bucket.aggregates[p].sum
                counts[h] += bucket.aggregates[p].count
                if !bucket.aggregates[p].sum.isFinite { finiteHours = false }
            }
        }
        var stats: [DeviceSummary.FieldStatistics] = []
        for (f, name) in fields.enumerated() {
            guard let type = downsampler.types[f], totals[f].count > 0 else { continue }
            guard totals[f].sum.isFinite else { return nil }
            let total = totals[f]
            stats.append(.init(name: name, count: total.count, mean: total.sum / Double(total.count),
                               min: FieldValue(type: type, bits: total.minBits).doubleValue,
                               max: FieldValue(type: type, bits: total.maxBits).doubleValue, p50: nil, p95: nil))
        }
        return Found(rows: downsampler.tally ?? RowTally(), fields: stats,
                     hourly: profile != nil && finiteHours ? (sums, counts) : nil)
    }
}
