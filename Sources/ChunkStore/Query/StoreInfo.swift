/// Size and shape of a store.
public struct StoreInfo: Sendable, Hashable {
    /// Number of devices.
    public var devices: Int
    /// Number of UTC days with data (one data file each).
    public var days: Int
    /// Number of sealed chunks.
    public var chunks: Int
    /// Rows after duplicate resolution, sealed or not: what queries over all time return.
    public var rows: Int
    /// Values present in those rows (a row with three fields holds three points).
    public var points: Int
    /// Rows not yet sealed into chunks: the writer's head, or for a reader the WAL tail it
    /// follows (counted before duplicates are resolved).
    public var headRows: Int
    /// Bytes of all the store's files.
    public var bytesOnDisk: Int
    /// Bytes of data files (sealed chunks).
    public var dataBytes: Int
    /// Number of files in the store directory tree.
    public var files: Int
    /// The duplicate policy recorded at creation.
    public var duplicatePolicy: DuplicatePolicy
    /// The retention period recorded in the store (``Store/setRetention(_:)``), if any.
    public var retention: Duration?

    /// `dataBytes / points`, or 0 for an empty store.
    public var bytesPerPoint: Double { points == 0 ? 0 : Double(dataBytes) / Double(points) }

    /// Creates an info record.
    public init(devices: Int, days: Int, chunks: Int, rows: Int, points: Int, headRows: Int,
                bytesOnDisk: Int, dataBytes: Int, files: Int, duplicatePolicy: DuplicatePolicy, retention: Duration? = nil) {
        self.devices = devices
        self.days = days
        self.chunks = chunks
        self.rows = rows
        self.points = points
        self.headRows = headRows
        self.bytesOnDisk = bytesOnDisk
        self.dataBytes = dataBytes
        self.files = files
        self.duplicatePolicy = duplicatePolicy
        self.retention = retention
    }
}
