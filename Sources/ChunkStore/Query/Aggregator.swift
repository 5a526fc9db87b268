/// Running aggregates of one field within one downsampling bucket.
///
/// Holds just enough to answer every ``AggregateFunction`` at once, so a query asking
/// for several functions scans the data once. It can absorb single values
/// (``add(bits:timestamp:type:)``), a whole chunk's precomputed ``FieldStats``
/// (``merge(_:type:)``), or another aggregate, and the three give the same result as
/// long as the pieces do not overlap in time and arrive in ascending time order:
/// `sum` is a plain left-to-right Double sum, exactly as ``FieldStats`` computes it.
///
/// Conventions match ``FieldStats``: NaN counts and poisons `sum` (which NaN, sign and
/// payload, is unspecified: IEEE leaves it to operand order), but `min`/`max`
/// prefer any number over NaN (NaN only when every value is NaN); among equal values
/// the earliest is kept. `first`/`last` are the values at the earliest/latest
/// timestamp; after deduplication each timestamp carries one value, so ties do not
/// arise, and on a tie the value already held is kept.
struct FieldAggregate: Sendable, Equatable {
    /// Number of present values.
    private(set) var count: Int = 0
    /// Left-to-right sum of the values as Doubles (true counts 1).
    private(set) var sum: Double = 0
    private(set) var minBits: UInt64 = 0
    private(set) var maxBits: UInt64 = 0
    private(set) var firstBits: UInt64 = 0
    private(set) var lastBits: UInt64 = 0
    private(set) var firstTimestamp: Int64 = 0
    private(set) var lastTimestamp: Int64 = 0

    init() {}

    /// Folds in one present value.
    @inline(__always)
    mutating func add(bits: UInt64, timestamp: Int64, type: FieldType) {
        combine(count: 1, sum: FieldValue(type: type, bits: bits).doubleValue, minBits: bits, maxBits: bits,
                firstBits: bits, firstTimestamp: timestamp, lastBits: bits, lastTimestamp: timestamp, type: type)
    }

    /// Folds in a whole chunk's statistics for this field. `type` is the field's type,
    /// needed to order payloads for min and max.
    mutating func merge(_ stats: FieldStats, type: FieldType) {
        guard stats.count > 0 else { return }
        combine(count: stats.count, sum: stats.sum, minBits: stats.minBits, maxBits: stats.maxBits,
                firstBits: stats.firstBits, firstTimestamp: stats.firstTimestamp,
                lastBits: stats.lastBits, lastTimestamp: stats.lastTimestamp, type: type)
    }

    /// Folds in the present values of `column` at `rows` (timestamps strictly increasing):
    /// exactly what adding each with ``add(bits:timestamp:type:)`` in row order gives, in
    /// one typed pass. The stretch's sum continues from this aggregate's, value by value,
    /// so the result is the same left-to-right sum; min, max, first and last fold as
    /// ``FieldStats`` merge.
    mutating func add(_ column: FieldColumn, timestamps: UnsafeBufferPointer<Int64>, rows: Range<Int>) {
        let stretch = FieldStats(column: column, timestamps: timestamps, rows: rows, sumFrom: sum)
        guard stretch.count > 0 else { return }
        combine(count: stretch.count, sum: 0, minBits: stretch.minBits, maxBits: stretch.maxBits,
                firstBits: stretch.firstBits, firstTimestamp: stretch.firstTimestamp,
                lastBits: stretch.lastBits, lastTimestamp: stretch.lastTimestamp, type: column.type)
        sum = stretch.sum
    }

    /// Folds in another aggregate of the same field (covering a later stretch of time).
    mutating func merge(_ other: FieldAggregate, type: FieldType) {
        guard other.count > 0 else { return }
        combine(count: other.count, sum: other.sum, minBits: other.minBits, maxBits: other.maxBits,
                firstBits: other.firstBits, firstTimestamp: other.firstTimestamp,
                lastBits: other.lastBits, lastTimestamp: other.lastTimestamp, type: type)
    }

    @inline(__always)
    private mutating func combine(count n: Int, sum s: Double, minBits lo: UInt64, maxBits hi: UInt64,
                                  firstBits fb: UInt64, firstTimestamp ft: Int64,
                                  lastBits lb: UInt64, lastTimestamp lt: Int64, type: FieldType) {
        if count == 0 {
            minBits = lo; maxBits = hi
            firstBits = fb; firstTimestamp = ft
            lastBits = lb; lastTimestamp = lt
        } else {
            if FieldStats.less(lo, minBits, type) { minBits = lo }
            if FieldStats.greater(hi, maxBits, type) { maxBits = hi }
            if ft < firstTimestamp { firstBits = fb; firstTimestamp = ft }
            if lt > lastTimestamp { lastBits = lb; lastTimestamp = lt }
        }
        count += n
        sum += s
    }

    /// The aggregate `fn` for a field of type `type`, or nil when no value was seen.
    /// `count` is `.int`; `sum` and `mean` are `.float`; the others keep the field's type.
    func value(_ fn: AggregateFunction, type: FieldType) -> FieldValue? {
        guard count > 0 else { return nil }
        switch fn {
        case .count: return .int(Int64(count))
        case .sum: return .float(sum)
        case .mean: return .float(sum / Double(count))
        case .min: return FieldValue(type: type, bits: minBits)
        case .max: return FieldValue(type: type, bits: maxBits)
        case .first: return FieldValue(type: type, bits: firstBits)
        case .last: return FieldValue(type: type, bits: lastBits)
        }
    }
}
