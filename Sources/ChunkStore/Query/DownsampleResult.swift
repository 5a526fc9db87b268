/// The rows of a downsampling query with their columns labelled: what
/// ``Store/downsampleResult(_:)`` answers. Each ``DownsampleRow`` holds one value per
/// column, and column `c` is ``fields``[c / functions.count] aggregated by
/// ``functions``[c % functions.count] (fields outer, functions inner, in query order).
///
/// ```swift
/// let hourly = try store.downsampleResult(query)      // fields ["power"], functions [.mean, .max]
/// hourly.columns                                      // ["power.mean", "power.max"]
/// let peak = hourly.columnIndex(field: "power", function: .max)!
/// for row in hourly { print(row.bucketStart, row.values[peak] ?? "-") }
/// ```
public struct DownsampleResult: Sendable, Hashable, RandomAccessCollection {
    /// The queried fields, in query order.
    public let fields: [String]
    /// The queried functions, in query order.
    public let functions: [AggregateFunction]
    /// The rows: grouped by device, devices in id byte order, buckets ascending.
    public let rows: [DownsampleRow]

    /// Labels `rows` with the columns of `query` (its fields and functions).
    public init(query: DownsampleQuery, rows: [DownsampleRow]) {
        self.init(fields: query.fields, functions: query.functions, rows: rows)
    }

    /// Labels `rows`, whose values are `fields` × `functions` (fields outer).
    public init(fields: [String], functions: [AggregateFunction], rows: [DownsampleRow]) {
        self.fields = fields
        self.functions = functions
        self.rows = rows
    }

    /// One label per column, `FIELD.FUNCTION` (`"power.mean"`), in column order. A field
    /// name may itself hold dots: look columns up with ``columnIndex(field:function:)``
    /// rather than by splitting labels.
    public var columns: [String] {
        fields.flatMap { field in functions.map { "\(field).\($0.rawValue)" } }
    }

    /// The column of `field` aggregated by `function` (the first, if the query named the
    /// field twice), or nil when the query did not ask for it.
    public func columnIndex(field: String, function: AggregateFunction) -> Int? {
        guard let f = fields.firstIndex(of: field), let g = functions.firstIndex(of: function) else { return nil }
        return f * functions.count + g
    }

    /// The value of `field` aggregated by `function` in row `row`, nil where the bucket
    /// has none or the query did not ask for it.
    public func value(_ row: Int, field: String, function: AggregateFunction) -> FieldValue? {
        columnIndex(field: field, function: function).flatMap { rows[row].values[$0] }
    }

    /// The first row's index: 0.
    public var startIndex: Int { 0 }
    /// One past the last row's index: the number of rows.
    public var endIndex: Int { rows.count }
    /// Row `position`.
    public subscript(position: Int) -> DownsampleRow { rows[position] }
}

extension Store {
    /// ``downsample(_:)`` with the answer's columns labelled (see ``DownsampleResult``).
    public func downsampleResult(_ query: DownsampleQuery) throws(StoreError) -> DownsampleResult {
        DownsampleResult(query: query, rows: try downsample(query))
    }
}
