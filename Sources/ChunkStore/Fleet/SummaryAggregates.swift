/// What the fleet summary takes from stored aggregates (chunk statistics, hourly rollup
/// cells) instead of rows, through the downsampling planner
/// (``StoreSnapshot/feedAggregates``): the planner decides where an aggregate may stand
/// for its rows and decodes rows everywhere else, so the answers are the row path's.
enum SummaryAggregates {
    /// A bucket width so wide that any range falls in at most four buckets: the whole
    /// range is, in effect, one bucket.
    static let wholeRange: Int64 = 1 << 62

    /// One device's rows (count, first and last timestamp) and each field's count, mean,
    /// min and max over `from...toInclusive`, fields without a value left out (as the row
    /// path does). Nil when a field's sum is not finite: NaN and infinite values are left to
    /// the row path, whose arithmetic defines the answer for them.
    static func statistics(_ snapshot: StoreSnapshot, device: String, fields: [String], from: Int64, toInclusive: Int64,
                           reader: DataFileReader) throws -> (rows: RowTally, fields: [DeviceSummary.FieldStatistics])? {
        var downsampler = Downsampler(device: device, fields: fields, functions: [], bucketing: try Bucketing(.nanoseconds(wholeRange)))
        downsampler.tally = RowTally()
        try snapshot.feed(device: device, from: from, toInclusive: toInclusive, reader: reader, into: &downsampler)
        var totals = Array(repeating: FieldAggregate(), count: fields.count)
        for bucket in downsampler.buckets() {
            for f in fields.indices {
                if let type = downsampler.types[f] { totals[f].merge(bucket.aggregates[f], type: type) }
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
        return (downsampler.tally ?? RowTally(), stats)
    }

    /// The sums and counts of `field`'s values per UTC hour of day (0-23) over
    /// `from...toInclusive`, from a downsample in one-hour buckets. Nil when an hour's sum
    /// is not finite (the row path skips non-finite values, which a sum cannot).
    static func hourly(_ snapshot: StoreSnapshot, device: String, field: String, from: Int64, toInclusive: Int64,
                       reader: DataFileReader) throws -> (sums: [Double], counts: [Int])? {
        var downsampler = Downsampler(device: device, fields: [field], functions: [],
                                      bucketing: try Bucketing(.nanoseconds(SummaryMath.hour)))
        try snapshot.feed(device: device, from: from, toInclusive: toInclusive, reader: reader, into: &downsampler)
        var sums = [Double](repeating: 0, count: 24), counts = [Int](repeating: 0, count: 24)
        for bucket in downsampler.buckets() where bucket.aggregates[0].count > 0 {
            guard bucket.aggregates[0].sum.isFinite else { return nil }
            let h = SummaryMath.hourOfDay(bucket.start)
            sums[h] += bucket.aggregates[0].sum
            counts[h] += bucket.aggregates[0].count
        }
        return (sums, counts)
    }
}
