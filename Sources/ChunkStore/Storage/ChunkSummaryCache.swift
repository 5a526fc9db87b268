import Synchronization

/// A chunk's verified header and rollup: what a downsampling query needs of a chunk it
/// does not decode. A class, so that handing one out of the cache costs one retain.
final class ChunkSummary: Sendable {
    let header: ChunkHeader
    let rollup: ChunkRollup?
    /// False when only the header was wanted and the rollup section was not decoded
    /// (`rollup` is then nil whatever the chunk holds); ``DataFileReader/summary(_:)``
    /// decodes it on first need.
    let hasDecodedRollup: Bool

    init(header: ChunkHeader, rollup: ChunkRollup?, hasDecodedRollup: Bool = true) {
        self.header = header
        self.rollup = rollup
        self.hasDecodedRollup = hasDecodedRollup
    }
}

/// Chunk summaries kept between queries of one ``Store``, so that a query answered from
/// statistics reads and checksums each chunk once, not on every call.
///
/// Chunks never change once committed, and every chunk committed gets a sequence number
/// no other chunk of the store ever has (a rewrite gives its new chunks fresh ones). The
/// sequence therefore names a chunk for good; the day and offset are checked as well, so a
/// mismatch is a miss, never a wrong summary. Memory is bounded by ``capacity`` entries; when full, the cache starts
/// over (a scan of more chunks than it holds then simply reads them again).
final class ChunkSummaryCache: Sendable {
    struct Key: Hashable, Sendable {
        var day: Int32
        var offset: Int
        var sequence: UInt64
    }

    /// Entries kept before the cache starts over (a summary is about 2 KB for a chunk of
    /// three fields over 12 hours).
    let capacity: Int
    private let entries = Mutex<[UInt64: (key: Key, summary: ChunkSummary)]>([:])

    init(capacity: Int = 8192) {
        self.capacity = capacity
    }

    func summary(_ key: Key) -> ChunkSummary? {
        entries.withLock { entries in
            guard let entry = entries[key.sequence], entry.key == key else { return nil }
            return entry.summary
        }
    }

    func insert(_ summary: ChunkSummary, for key: Key) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key.sequence] = (key, summary)
        }
    }
}
