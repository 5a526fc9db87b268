import Synchronization

/// Rows of chunks that downsampling had to decode (where chunks overlap, at a ragged edge
/// of a range, for widths no rollup cell fits), kept between queries of one ``Store`` in
/// the way LevelDB keeps uncompressed blocks: a dashboard that asks for the same hours
/// again finds them decoded.
///
/// A chunk never changes once committed and its sequence names it for good (see
/// ``ChunkSummaryCache``), so an entry can never be stale; day and offset are part of the
/// key as well. Entries hold the fields a query decoded, so the field list is part of the
/// key too. Memory is bounded by ``capacityBytes`` of row data; when an insert would pass
/// it, the cache starts over, as the summary cache does.
final class DecodedChunkCache: Sendable {
    struct Key: Hashable, Sendable {
        var day: Int32
        var offset: Int
        var sequence: UInt64
        /// The decoded fields, in the order asked for; nil: all of them.
        var fields: [String]?
    }

    /// Bytes of timestamps, payloads and presence bitmaps kept at most.
    let capacityBytes: Int
    private let state = Mutex<(entries: [Key: ColumnarRows], bytes: Int)>(([:], 0))

    init(capacityBytes: Int = 32 << 20) {
        self.capacityBytes = capacityBytes
    }

    func rows(_ key: Key) -> ColumnarRows? {
        state.withLock { $0.entries[key] }
    }

    /// Keeps `rows` unless they alone would take more than a quarter of the capacity.
    func insert(_ rows: ColumnarRows, for key: Key) {
        let size = Self.bytes(of: rows)
        guard size <= capacityBytes / 4 else { return }
        state.withLock { state in
            if state.bytes + size > capacityBytes { state = ([:], 0) }
            if let old = state.entries.updateValue(rows, forKey: key) { state.bytes -= Self.bytes(of: old) }
            state.bytes += size
        }
    }

    /// Bytes of row data `rows` hold (array headers and names are not counted).
    static func bytes(of rows: ColumnarRows) -> Int {
        rows.columns.reduce(rows.timestamps.count * 8) { $0 + $1.bits.count * 8 + ($1.present.count + 7) / 8 }
    }
}
