/// One device's line of a fleet summary (see ``Store/summary(_:)``).
public struct DeviceSummary: Sendable, Equatable {
    /// Statistics of one field over the range.
    public struct FieldStatistics: Sendable, Equatable {
        /// The field name.
        public var name: String
        /// Rows with a value.
        public var count: Int
        /// Arithmetic mean, minimum and maximum (booleans count as 0 and 1).
        public var mean: Double, min: Double, max: Double
        /// Nearest-rank percentiles: the value at rank ceil(p/100 * count) of the sorted values;
        /// nil when the request left them out (``SummaryRequest/percentiles``).
        public var p50: Double?, p95: Double?
    }

    /// The device id.
    public var device: String
    /// Rows in the range.
    public var rows: Int
    /// First and last reading's timestamps (ns).
    public var first: Int64, last: Int64
    /// The device's usual interval: the median positive step between consecutive rows (0 with
    /// fewer than 2 rows); nil when the request left gaps out (``SummaryRequest/gaps``).
    public var interval: Int64?
    /// Steps longer than `gapIntervals` usual intervals, and the longest step (ns); nil when
    /// the request left gaps out.
    public var gaps: Int?, longestStep: Int64?
    /// Per requested field (all fields when none were named), in name order.
    public var fields: [FieldStatistics]
    /// The counter's consumption over the range: the sum of its increases, where a decrease
    /// is a reset and counts the new value; nil without `counter` or when the device lacks it.
    public var consumption: Double?
}

/// A group of devices with similar normalised daily load profiles.
public struct LoadCluster: Sendable, Equatable {
    /// The devices, sorted by id.
    public var members: [String]
    /// The centroid: 24 normalised hourly means (hour 0 = 00:00-01:00 UTC).
    public var centroid: [Double]
    /// `members.count`.
    public var size: Int { members.count }
}

/// What ``Store/summary(_:)`` computes.
public struct SummaryRequest: Sendable {
    /// Range `[from, to)` in ns; nil ends are open.
    public var from: Int64?, to: Int64?
    /// Fields to summarise; empty means every field of each device.
    public var fields: [String] = []
    /// A cumulative counter field whose consumption to report.
    public var counter: String?
    /// A step longer than this many usual intervals is a gap.
    public var gapIntervals: Double = 3
    /// Whether to compute p50 and p95 of each field. They need every value, so the rows are read.
    public var percentiles = true
    /// Whether to compute the usual interval, gaps and longest step. They need every
    /// timestamp, so the rows are read.
    ///
    /// With both `percentiles` and `gaps` false, rows, first, last and each field's count,
    /// mean, min and max (and the load profiles' hourly means) come from stored aggregates
    /// (chunk statistics, hourly rollup cells) wherever the downsampling planner lets them
    /// stand for their rows, and rows are decoded only elsewhere (overlapping chunks, head
    /// rows, ragged range ends); a counter's consumption still reads that field's rows. The
    /// answers are those of the row path (sums, so means, may differ in the last bits).
    public var gaps = true
    /// Number of load-profile clusters; 0 for none.
    public var clusters: Int = 0
    /// The field whose hourly means form the load profile (default: the first of `fields`,
    /// else the device's first float field by name).
    public var profileField: String?

    /// A request over `[from, to)`.
    public init(from: Int64? = nil, to: Int64? = nil) {
        self.from = from
        self.to = to
    }
}

/// The answer of ``Store/summary(_:)``.
public struct FleetSummary: Sendable, Equatable {
    /// Devices with rows in the range, by id (alert series excluded).
    public var devices: [DeviceSummary]
    /// Load-profile clusters, largest first (empty unless asked).
    public var clusters: [LoadCluster]
}
