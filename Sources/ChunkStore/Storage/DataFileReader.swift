/// Open data files for the length of one query (or one rewrite): each day's file is opened
/// once, by the name the snapshot's manifest gives.
final class DataFileReader {
    let snapshot: StoreSnapshot
    /// Open data files by day, with their paths (built once: a query reads many chunks
    /// of each day).
    private var open: [Int32: (file: FileID, path: String)] = [:]
    /// Chunks whose rows this reader needed: decoded, or found decoded in the store's
    /// cache (tests check what a plan reads).
    var chunksDecoded = 0

    init(_ snapshot: StoreSnapshot) {
        self.snapshot = snapshot
    }

    deinit {
        for entry in open.values { snapshot.fileSystem.close(entry.file) }
    }

    /// Reads and checks one chunk record.
    func read(_ entry: IndexChunkEntry) throws -> (record: [UInt8], header: ChunkHeader) {
        let file: (file: FileID, path: String)
        if let cached = open[entry.day] { file = cached } else {
            let path = try snapshot.dataFilePath(day: entry.day)
            file = (try snapshot.fileSystem.open(path, .read), path)
            open[entry.day] = file
        }
        return try DataFile.readChunk(file.file, path: file.path, entry: entry, fileSystem: snapshot.fileSystem)
    }

    /// The verified header and rollup of a chunk, from the store's cache when an earlier
    /// query read it. With `rollup` false the rollup section may be left undecoded (its
    /// `rollup` nil): a chunk's own statistics do not need it.
    func summary(_ entry: IndexChunkEntry, rollup wanted: Bool = true) throws -> ChunkSummary {
        let key = ChunkSummaryCache.Key(day: entry.day, offset: entry.offset, sequence: entry.sequence)
        if let cached = snapshot.summaries?.summary(key), cached.hasDecodedRollup || !wanted { return cached }
        let (record, header) = try read(entry)
        var rollup: ChunkRollup?
        do {
            if wanted { rollup = try record.withUnsafeBytes { try ChunkDecoder.decodeRollup($0, header: header) } }
        } catch let error as FormatError {
            throw error.inFile((try? snapshot.dataFilePath(day: entry.day)) ?? snapshot.layout.dataDirectory, at: entry.offset)
        }
        let summary = ChunkSummary(header: header, rollup: rollup, hasDecodedRollup: wanted)
        snapshot.summaries?.insert(summary, for: key)
        return summary
    }
}
