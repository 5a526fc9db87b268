/// An open ChunkStore: an embedded, append-only time-series store in one directory.
///
/// A store opened with ``open(at:options:)`` is the single writer: it holds the
/// directory's lock until ``close()``. Any number of readers, in this process or
/// others, open it with ``openReader(at:)`` and see every sealed chunk.
public final class Store: Sendable {
    /// The store directory.
    public let path: String

    init(path: String) {
        self.path = path
    }

    /// Opens (creating if allowed) the store at `path` as its single writer.
    public static func open(at path: String, options: StoreOptions = StoreOptions()) throws(StoreError) -> Store {
        throw .notWritable("not implemented")
    }

    /// Opens the store at `path` read-only.
    public static func openReader(at path: String) throws(StoreError) -> Store {
        throw .notWritable("not implemented")
    }

    /// Appends rows (any devices, any order).
    public func append(_ rows: [Row]) throws(StoreError) {}

    /// Appends a columnar batch of one device.
    public func append(_ batch: ColumnBatch) throws(StoreError) {}

    /// Seals every buffered row into chunks and makes them durable.
    public func flush() throws(StoreError) {}

    /// Flushes and releases the store.
    public func close() throws(StoreError) {}

    /// Raw rows of one device in [from, to).
    public func range(device: String, from: Int64? = nil, to: Int64? = nil, fields: [String]? = nil) throws(StoreError) -> RangeResult {
        RangeResult(device: device, fieldNames: [], timestamps: [], values: [])
    }

    /// Downsampled rows.
    public func downsample(_ query: DownsampleQuery) throws(StoreError) -> [DownsampleRow] { [] }

    /// Latest row of one device, or of every device.
    public func latest(device: String? = nil) throws(StoreError) -> [LatestRow] { [] }

    /// Every device with its fields and time span.
    public func devices() throws(StoreError) -> [DeviceInfo] { [] }

    /// Size and shape of the store.
    public func info() throws(StoreError) -> StoreInfo {
        throw .notWritable("not implemented")
    }

    /// Checks every checksum and structure; returns the problems found.
    public func verify() throws(StoreError) -> [StoreError] { [] }
}
