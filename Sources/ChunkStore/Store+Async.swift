/// The `async` overloads: the same calls, with the same results, errors and guarantees as
/// their synchronous twins, for code running in Swift concurrency (a Hummingbird or Vapor
/// handler, an actor). They never block a cooperative thread: the blocking work runs on
/// the store's own Dispatch threads (see `BlockingExecutor.swift`: writes one at a time in
/// submission order, queries in parallel) while the calling task is suspended.
///
/// A call runs to its end even if its task is cancelled: a write that was started is
/// appended (or fails) as a whole, and its outcome is returned.
extension Store {
    // MARK: Opening

    /// ``open(at:options:)`` without blocking the calling task's thread.
    public static func open(at path: String, options: StoreOptions = StoreOptions()) async throws(StoreError) -> Store {
        try await BlockingExecutor.run(on: BlockingExecutor.opening) { () throws(StoreError) in try Store.open(at: path, options: options) }
    }

    /// ``openReader(at:options:)`` without blocking the calling task's thread.
    public static func openReader(at path: String, options: StoreOptions = StoreOptions()) async throws(StoreError) -> Store {
        try await BlockingExecutor.run(on: BlockingExecutor.opening) { () throws(StoreError) in try Store.openReader(at: path, options: options) }
    }

    // MARK: Writing (one at a time, in submission order)

    /// ``append(_:)-([Row])`` on the store's write thread.
    public func append(_ rows: [Row]) async throws(StoreError) {
        try await blocking.write { () throws(StoreError) in try self.append(rows) }
    }

    /// ``append(_:)-(ColumnBatch)`` on the store's write thread.
    public func append(_ batch: ColumnBatch) async throws(StoreError) {
        try await blocking.write { () throws(StoreError) in try self.append(batch) }
    }

    /// ``appendLineProtocol(_:precision:deviceTag:now:)-(UnsafeRawBufferPointer,_,_,_)`` on
    /// the store's write thread, for any collection of bytes: an array, or a NIO
    /// `ByteBuffer`'s `readableBytesView`. Bytes in contiguous storage are parsed in
    /// place; others are copied into an array first.
    public func appendLineProtocol<Bytes: Collection & Sendable>(
        _ body: Bytes, precision: TimestampPrecision = .ns, deviceTag: String = "device", now: Int64
    ) async throws(StoreError) -> LineProtocolWriteResult where Bytes.Element == UInt8 {
        try await blocking.write { () throws(StoreError) in
            let inPlace = try StoreError.wrapping(self.path) {
                try body.withContiguousStorageIfAvailable { bytes in
                    try self.appendLineProtocol(UnsafeRawBufferPointer(bytes), precision: precision, deviceTag: deviceTag, now: now)
                }
            }
            if let inPlace { return inPlace }
            return try self.appendLineProtocol(Array(body), precision: precision, deviceTag: deviceTag, now: now)
        }
    }

    /// ``flush()`` on the store's write thread.
    public func flush() async throws(StoreError) {
        try await blocking.write { () throws(StoreError) in try self.flush() }
    }

    /// ``close()`` on the store's write thread, after every write submitted before it.
    public func close() async throws(StoreError) {
        try await blocking.write { () throws(StoreError) in try self.close() }
    }

    /// ``compact()`` on the store's write thread.
    public func compact() async throws(StoreError) -> CompactionReport {
        try await blocking.write { () throws(StoreError) in try self.compact() }
    }

    /// ``drop(before:device:)-(Int64,_)`` on the store's write thread.
    public func drop(before timestamp: Int64, device: String? = nil) async throws(StoreError) -> DropReport {
        try await blocking.write { () throws(StoreError) in try self.drop(before: timestamp, device: device) }
    }

    /// ``setRetention(_:)`` on the store's write thread.
    public func setRetention(_ period: Duration?) async throws(StoreError) -> DropReport {
        try await blocking.write { () throws(StoreError) in try self.setRetention(period) }
    }

    // MARK: Reading (in parallel)

    /// ``range(device:from:to:fields:)-(_,Int64?,Int64?,_)`` on the store's read threads.
    public func range(device: String, from: Int64? = nil, to: Int64? = nil, fields: [String]? = nil) async throws(StoreError) -> RangeResult {
        try await blocking.read { () throws(StoreError) in try self.range(device: device, from: from, to: to, fields: fields) }
    }

    /// ``downsample(_:)`` on the store's read threads.
    public func downsample(_ query: DownsampleQuery) async throws(StoreError) -> [DownsampleRow] {
        try await blocking.read { () throws(StoreError) in try self.downsample(query) }
    }

    /// ``downsampleResult(_:)`` on the store's read threads.
    public func downsampleResult(_ query: DownsampleQuery) async throws(StoreError) -> DownsampleResult {
        try await blocking.read { () throws(StoreError) in try self.downsampleResult(query) }
    }

    /// ``latest(device:)`` on the store's read threads.
    public func latest(device: String? = nil) async throws(StoreError) -> LatestRows {
        try await blocking.read { () throws(StoreError) in try self.latest(device: device) }
    }

    /// ``devices()`` on the store's read threads.
    public func devices() async throws(StoreError) -> [DeviceInfo] {
        try await blocking.read { () throws(StoreError) in try self.devices() }
    }

    /// ``info()`` on the store's read threads.
    public func info() async throws(StoreError) -> StoreInfo {
        try await blocking.read { () throws(StoreError) in try self.info() }
    }

    /// ``verify()`` on the store's read threads.
    public func verify() async throws(StoreError) -> [StoreError] {
        try await blocking.read { () throws(StoreError) in try self.verify() }
    }

    // MARK: Several calls as one piece of blocking work

    /// Runs `body`, which may make any number of the synchronous calls (say a query and
    /// the formatting of its answer), on the store's read threads, and returns what it
    /// returns or throws what it throws. For reads: `body` runs in parallel with other reads.
    public func blockingRead<T: Sendable, E: Error>(_ body: @escaping @Sendable (Store) throws(E) -> T) async throws(E) -> T {
        try await blocking.read { () throws(E) in try body(self) }
    }

    /// Runs `body`, which may make any number of the synchronous calls, on the store's
    /// write thread: after the writes submitted before it and before those submitted after.
    public func blockingWrite<T: Sendable, E: Error>(_ body: @escaping @Sendable (Store) throws(E) -> T) async throws(E) -> T {
        try await blocking.write { () throws(E) in try body(self) }
    }
}
