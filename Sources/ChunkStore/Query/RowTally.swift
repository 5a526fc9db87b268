/// Rows of one device counted while downsampling: how many, and the first and last
/// timestamp. A ``Downsampler`` keeps one when asked (``Downsampler/tally``), for the
/// fleet summary's row counts; stored aggregates then stand for rows only where the
/// planner knows their row count exactly (see ``StoreSnapshot/feedAggregates``).
struct RowTally: Sendable, Equatable {
    /// Rows counted.
    var count = 0
    /// Earliest and latest timestamp counted (meaningless while `count` is 0).
    var first: Int64 = .max
    var last: Int64 = .min

    /// The span of the rows counted, nil when none.
    var span: ClosedRange<Int64>? { count > 0 ? first...last : nil }

    /// Adds `count` rows spanning `first...last`.
    mutating func add(count n: Int, first f: Int64, last l: Int64) {
        guard n > 0 else { return }
        count += n
        first = min(first, f)
        last = max(last, l)
    }

    /// Adds another tally's rows.
    mutating func add(_ other: RowTally) {
        add(count: other.count, first: other.first, last: other.last)
    }
}
