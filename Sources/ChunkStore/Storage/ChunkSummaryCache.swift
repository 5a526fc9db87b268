import Synchronization

/// A chunk's verified header and rollup: what a downsampling query needs of a chunk it
/// does not decode.
struct ChunkSummary: Sendable {
    var header: ChunkHeader
    var rollup: ChunkRollup?
}

/// Chunk summaries kept between queries of one ``Store``, so that a query answered from
/// statistics reads and checksums each chunk once, not on every call.
///
/// Chunks never change once written: a rewrite writes new files under new numbers. A
/// chunk is therefore named for good by its data file (day and number), its offset and
/// its sequence. Memory is bounded by ``capacity`` entries; when full, the cache starts
/// over (a scan of more chunks than it holds then simply reads them again).
final class ChunkSummaryCache: Sendable {
    struct Key: Hashable, Sendable {
        var day: Int32
        var file: UInt64
        var offset: Int
        var sequence: UInt64
    }

    /// Entries kept before the cache starts over (a summary is about 2 KB for a chunk of
    /// three fields over 12 hours).
    let capacity: Int
    private let entries = Mutex<[Key: ChunkSummary]>([:])

    init(capacity: Int = 8192) {
        self.capacity = capacity
    }

    func summary(_ key: Key) -> ChunkSummary? {
        entries.withLock { $0[key] }
    }

    func insert(_ summary: ChunkSummary, for key: Key) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = summary
        }
    }
}
