/// Where one sealed chunk lives and what it spans: one fixed-size row of an index segment.
struct IndexChunkEntry: Equatable, Sendable {
    var day: Int32
    /// Offset of the chunk record in its day's data file, and its length with framing.
    var offset: Int
    var length: Int
    var rowCount: Int
    var minTimestamp: Int64
    var maxTimestamp: Int64
    var sequence: UInt64
    var walLSN: UInt64
    var points: Int
}

/// The latest row of a device as far as one index segment knows: the largest timestamp
/// and the field values present at it, duplicates already resolved.
struct LatestValues: Equatable, Sendable {
    var timestamp: Int64
    /// Field name, type and payload bits, in the device's field order.
    var values: [(name: String, type: FieldType, bits: UInt64)]

    static func == (a: LatestValues, b: LatestValues) -> Bool {
        a.timestamp == b.timestamp && a.values.elementsEqual(b.values) { $0.name == $1.name && $0.type == $1.type && $0.bits == $1.bits }
    }

    /// Folds a later-arrived latest row into this one under `policy`.
    mutating func absorb(_ newer: LatestValues, policy: DuplicatePolicy) {
        if newer.timestamp > timestamp { self = newer; return }
        guard newer.timestamp == timestamp else { return }
        for value in newer.values {
            if let i = values.firstIndex(where: { $0.name == value.name }) {
                values[i].bits = policy.resolve(old: values[i].bits, new: value.bits, type: value.type)
            } else {
                values.append(value)
            }
        }
    }
}

/// Everything an index segment holds about one device: built from new chunk headers when
/// chunks are sealed, or read back from older segments when segments are merged.
struct IndexDeviceSummary: Sendable {
    var device: String
    /// Field names and types, sorted by name.
    var fields: [FieldDescriptor]
    var minTimestamp: Int64
    var maxTimestamp: Int64
    var rows: Int
    var points: Int
    var latest: LatestValues
    /// Chunks sorted by (minTimestamp, sequence).
    var chunks: [IndexChunkEntry]

    /// Summary of freshly sealed chunks of one device, given in sealing order.
    init(device: String, sealed: [(header: ChunkHeader, entry: IndexChunkEntry)], policy: DuplicatePolicy) {
        self.device = device
        var types: [String: FieldType] = [:]
        var latest = LatestValues(timestamp: .min, values: [])
        minTimestamp = .max
        maxTimestamp = .min
        rows = 0
        points = 0
        for (header, entry) in sealed {
            for field in header.fields { types[field.name] = field.type }
            minTimestamp = Swift.min(minTimestamp, header.minTimestamp)
            maxTimestamp = Swift.max(maxTimestamp, header.maxTimestamp)
            rows += header.rowCount
            points += header.pointCount
            let values = header.fields.filter { $0.stats.count > 0 && $0.stats.lastTimestamp == header.maxTimestamp }
                .map { (name: $0.name, type: $0.type, bits: $0.stats.lastBits) }
            latest.absorb(LatestValues(timestamp: header.maxTimestamp, values: values), policy: policy)
            _ = entry
        }
        self.latest = latest
        fields = types.map { FieldDescriptor(name: $0.key, type: $0.value) }.sorted { $0.name.precedesInBytes($1.name) }
        chunks = sealed.map(\.entry).sorted { ($0.minTimestamp, $0.sequence) < ($1.minTimestamp, $1.sequence) }
    }

    init(device: String, fields: [FieldDescriptor], minTimestamp: Int64, maxTimestamp: Int64, rows: Int, points: Int,
         latest: LatestValues, chunks: [IndexChunkEntry]) {
        self.device = device
        self.fields = fields
        self.minTimestamp = minTimestamp
        self.maxTimestamp = maxTimestamp
        self.rows = rows
        self.points = points
        self.latest = latest
        self.chunks = chunks
    }

    /// Sets the device's chunks to `chunks` (after a compaction or a drop) and recounts the
    /// span, rows and points from them. Fields and the latest row are kept: compaction
    /// changes neither, and a drop removes whole days before a time, so a device keeps its
    /// latest row unless it loses every chunk.
    mutating func replaceChunks(_ chunks: [IndexChunkEntry]) {
        self.chunks = chunks.sorted { ($0.minTimestamp, $0.sequence) < ($1.minTimestamp, $1.sequence) }
        minTimestamp = chunks.map(\.minTimestamp).min() ?? .max
        maxTimestamp = chunks.map(\.maxTimestamp).max() ?? .min
        rows = chunks.reduce(0) { $0 + $1.rowCount }
        points = chunks.reduce(0) { $0 + $1.points }
    }

    /// Folds a summary of the same device from a newer segment into this one.
    mutating func absorb(_ newer: IndexDeviceSummary, policy: DuplicatePolicy) {
        var types = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.type) })
        for field in newer.fields { types[field.name] = field.type }
        fields = types.map { FieldDescriptor(name: $0.key, type: $0.value) }.sorted { $0.name.precedesInBytes($1.name) }
        minTimestamp = Swift.min(minTimestamp, newer.minTimestamp)
        maxTimestamp = Swift.max(maxTimestamp, newer.maxTimestamp)
        rows += newer.rows
        points += newer.points
        latest.absorb(newer.latest, policy: policy)
        chunks = (chunks + newer.chunks).sorted { ($0.minTimestamp, $0.sequence) < ($1.minTimestamp, $1.sequence) }
    }
}
