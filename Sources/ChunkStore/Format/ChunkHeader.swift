/// The self-describing front of a chunk: who, when, how many, and per-field statistics.
/// Decoded without touching the compressed columns.
struct ChunkHeader: Sendable, Equatable {
    var device: String
    /// UTC day number (days since 1970-01-01) of every row.
    var day: Int32
    var rowCount: Int
    var minTimestamp: Int64
    var maxTimestamp: Int64
    /// Store-wide sealing order: a chunk with a larger sequence holds later-arrived rows.
    var sequence: UInt64
    /// Highest WAL group sequence number whose rows this chunk holds (0: none).
    var walLSN: UInt64
    var fields: [Field]
    /// Where the timestamp block starts and how long it is, relative to the record start.
    var timestampsOffset: Int
    var timestampsLength: Int
    /// Where the rollup section lies, relative to the record start; length 0 when the
    /// chunk has none (its rows fall in one cell, or it was written before rollups).
    var rollupOffset: Int = 0
    var rollupLength: Int = 0

    struct Field: Sendable, Equatable {
        var name: String
        var type: FieldType
        var stats: FieldStats
        /// Where the field's column block lies, relative to the record start.
        var offset: Int
        var length: Int
    }

    /// Values stored (present slots over all fields).
    var pointCount: Int { fields.reduce(0) { $0 + $1.stats.count } }
}
