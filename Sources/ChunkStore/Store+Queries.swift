extension Store {
    /// Raw rows of one device with `from <= timestamp < to`, time-ordered, duplicates
    /// resolved by the store's policy. `fields: nil` returns every field of the device.
    public func range(device: String, from: Int64? = nil, to: Int64? = nil, fields: [String]? = nil) throws(StoreError) -> RangeResult {
        guard let bounds = Store.bounds(from: from, to: to) else {
            return RangeResult(device: device, fieldNames: fields ?? [], timestamps: [], values: Array(repeating: [], count: fields?.count ?? 0))
        }
        return try withContext { try $0.range(device: device, from: bounds.from, toInclusive: bounds.toInclusive, fields: fields) }
    }

    /// The latest row of one device (no rows when it has none), or of every device when
    /// `device` is nil, sorted by device bytes. Answered from the index, without decoding
    /// chunks; see ``LatestRows`` for reading values without building dictionaries.
    public func latest(device: String? = nil) throws(StoreError) -> LatestRows {
        try withContext { context in
            if let device { return try context.latest(device: device) }
            return try context.latestOfEveryDevice()
        }
    }

    /// Every device with its fields, time span and row and point counts (after duplicate
    /// resolution, see ``DeviceInfo``), sorted by id bytes.
    public func devices() throws(StoreError) -> [DeviceInfo] {
        try withContext { context in try context.deviceInfos() }
    }

    /// Every device with its fields and time span, without counting rows and points (their
    /// `rows` and `points` are 0): what resolving a query's devices and fields needs, at the
    /// cost of an index read rather than a merge of every overlapping chunk cluster.
    package func deviceSchemas() throws(StoreError) -> [DeviceInfo] {
        try withContext { context in try context.deviceInfos(counts: false) }
    }

    /// ``deviceSchemas()`` of the named devices only, in the order named, each once; a name
    /// the store does not hold is left out. What a query naming its devices needs, without
    /// reading every device's summary and every unsealed row.
    package func deviceSchemas(named names: [String]) throws(StoreError) -> [DeviceInfo] {
        try withContext { context in try context.deviceSchemas(named: names) }
    }

    /// Counts and sizes of the store.
    public func info() throws(StoreError) -> StoreInfo {
        try withContext { context in
            var chunks = 0, rows = 0, points = 0
            let summaries = try context.index.summaries(policy: context.policy)
            for summary in summaries { chunks += summary.chunks.count }
            for device in try context.deviceInfos() {
                rows += device.rows
                points += device.points
            }
            let fs = context.fileSystem
            func size(_ path: String) -> Int {
                guard let file = try? fs.open(path, .read) else { return 0 }
                defer { fs.close(file) }
                return (try? fs.size(file)) ?? 0
            }
            var files = 0, bytes = 0, dataBytes = 0
            for directory in [context.layout.root, context.layout.dataDirectory, context.layout.walDirectory] {
                for name in (try? fs.list(directory)) ?? [] where name != "data" && name != "wal" {
                    let n = size(directory + "/" + name)
                    files += 1
                    bytes += n
                    if directory == context.layout.dataDirectory { dataBytes += n }
                }
            }
            var devices = Set(summaries.map(\.device))
            for key in context.head?.buffers.keys ?? [:].keys { devices.insert(key.device) }
            return StoreInfo(devices: devices.count, days: context.manifest.dataFiles.count, chunks: chunks, rows: rows,
                             points: points, headRows: context.head?.rowCount ?? 0, bytesOnDisk: bytes, dataBytes: dataBytes,
                             files: files, duplicatePolicy: context.policy,
                             retention: context.manifest.retention > 0 ? .nanoseconds(context.manifest.retention) : nil)
        }
    }

    /// Checks every checksum and structure of the committed store: the manifest, every index
    /// segment entry, every chunk record of every data file (decoded in full), that the index
    /// and the data files agree, and the WAL's records. Returns one error per problem found
    /// (empty when clean); throws only when the store cannot be read at all.
    public func verify() throws(StoreError) -> [StoreError] {
        try withContext { context in try StoreVerifier(context: context).run() }
    }

    /// Converts [from, to) with optional ends into an inclusive range; nil when empty.
    static func bounds(from: Int64?, to: Int64?) -> (from: Int64, toInclusive: Int64)? {
        let low = from ?? .min
        guard let to else { return (low, .max) }
        guard to > low else { return nil }
        return (low, to - 1)
    }
}
