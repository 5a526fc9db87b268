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

    /// The header's fields, handed out without copying the rest of the header.
    var fields: [ChunkHeader.Field] { header.fields }
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
    private let table: Mutex<SummaryTable>

    init(capacity: Int = 8192) {
        self.capacity = capacity
        table = Mutex(SummaryTable(slots: 64))
    }

    func summary(_ key: Key) -> ChunkSummary? {
        table.withLock { $0.find(key) }
    }

    func insert(_ summary: ChunkSummary, for key: Key) {
        table.withLock { table in
            if table.count >= capacity { table.removeAll() }
            table.insert(summary, for: key)
        }
    }
}

/// An open-addressing table of summaries by sequence number: a query answered from
/// statistics looks up one summary per chunk, and a `Dictionary`'s seeded hashing
/// cost more than the rest of a lone chunk's work. Slots (a power of two, at least
/// twice the entries: the table doubles as it fills, so a store of a thousand chunks
/// probes a table that stays in cache) are probed linearly from a multiplicative hash.
private struct SummaryTable {
    private var keys: [ChunkSummaryCache.Key?]
    private var values: [ChunkSummary?]
    private(set) var count = 0
    private let mask: Int

    init(slots: Int) {
        var size = 16
        while size < slots { size <<= 1 }
        keys = Array(repeating: nil, count: size)
        values = Array(repeating: nil, count: size)
        mask = size - 1
    }

    private func home(_ key: ChunkSummaryCache.Key) -> Int {
        Int(truncatingIfNeeded: (key.sequence &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    func find(_ key: ChunkSummaryCache.Key) -> ChunkSummary? {
        var slot = home(key)
        while let stored = keys[slot] {
            if stored.sequence == key.sequence { return stored == key ? values[slot] : nil }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Inserts or replaces, doubling the slots first when half of them are taken.
    mutating func insert(_ summary: ChunkSummary, for key: ChunkSummaryCache.Key) {
        if (count + 1) * 2 > keys.count {
            var grown = SummaryTable(slots: keys.count * 2)
            for i in keys.indices { if let k = keys[i], let v = values[i] { grown.insert(v, for: k) } }
            self = grown
        }
        var slot = home(key)
        while let stored = keys[slot], stored.sequence != key.sequence { slot = (slot + 1) & mask }
        if keys[slot] == nil { count += 1 }
        keys[slot] = key
        values[slot] = summary
    }

    mutating func removeAll() {
        self = SummaryTable(slots: 64)
    }
}
