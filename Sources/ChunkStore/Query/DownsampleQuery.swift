/// A downsampling query: per bucket and device, aggregates of some fields.
public struct DownsampleQuery: Sendable, Hashable {
    /// One device, or every device (results grouped by device, devices in byte order).
    public var device: String?
    /// Inclusive lower bound in ns, or nil for unbounded.
    public var from: Int64?
    /// Exclusive upper bound in ns, or nil for unbounded.
    public var to: Int64?
    /// Fields to aggregate; a device lacking a field gets nil aggregates for it.
    public var fields: [String]
    /// Bucket width.
    public var bucket: BucketWidth
    /// Functions to compute for every field.
    public var functions: [AggregateFunction]
    /// The zone whose calendar day, week and month buckets follow (UTC by default); see
    /// ``TimeZoneRules``. Widths shorter than a day are not affected.
    public var timeZone: TimeZoneRules

    /// Creates a query; `device: nil` means all devices.
    public init(device: String?, from: Int64? = nil, to: Int64? = nil, fields: [String],
                bucket: BucketWidth, functions: [AggregateFunction] = [.mean], timeZone: TimeZoneRules = .utc) {
        self.timeZone = timeZone
        self.device = device
        self.from = from
        self.to = to
        self.fields = fields
        self.bucket = bucket
        self.functions = functions
    }
}

/// One output row of a downsampling query.
public struct DownsampleRow: Sendable, Hashable {
    /// The device.
    public var device: String
    /// Start of the bucket, ns since the epoch.
    public var bucketStart: Int64
    /// One value per (field, function), fields outer and functions inner, in query order;
    /// nil where the field has no value in the bucket.
    public var values: [FieldValue?]

    /// Creates a row.
    public init(device: String, bucketStart: Int64, values: [FieldValue?]) {
        self.device = device
        self.bucketStart = bucketStart
        self.values = values
    }
}
