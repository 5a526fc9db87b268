/// Data files for the length of one query (or one rewrite): each day's file is found by
/// the name the snapshot's manifest gives, and its committed bytes are mapped (through the
/// store's ``DataFileMappings`` when the snapshot has them), so that a chunk record is
/// checked and decoded where it lies instead of being copied out of the page cache.
final class DataFileReader {
    let snapshot: StoreSnapshot
    /// Mapped files by day, as this reader first found them (no lock per record).
    private var regions: [Int32: MappedRegion] = [:]
    /// Files opened to read records that no mapping covers, by day, with their paths.
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

    /// Runs `body` on one chunk record, its framing and checksum checked and its header
    /// decoded first. The record's bytes are valid only inside `body`.
    func withRecord<T>(_ entry: IndexChunkEntry, _ body: (UnsafeRawBufferPointer, ChunkHeader) throws -> T) throws -> T {
        guard entry.offset >= 0, entry.length >= FormatConstants.chunkFramingSize,
              entry.length <= FormatConstants.maxChunkBodySize, let mapped = region(entry) else {
            // Not mapped, or not inside the mapping: read it (which reports an impossible
            // length or a record cut short by the file's end).
            let (file, path) = try file(ofDay: entry.day)
            let (record, header) = try DataFile.readChunk(file, path: path, entry: entry, fileSystem: snapshot.fileSystem)
            return try record.withUnsafeBytes { try body($0, header) }
        }
        var region = mapped
        var header = try? ChunkDecoder.decodeHeader(record(entry, in: region))
        // A damaged record, or another chunk's, where the index puts this one: the mapping,
        // kept from earlier queries, may be of a file since replaced under the same name
        // (repair rewrites a damaged day file so). Map the file afresh once before
        // believing the bytes.
        if header.map({ $0.sequence != entry.sequence || $0.day != entry.day }) ?? true,
           let fresh = self.region(entry, fresh: true) {
            region = fresh
            header = nil
        }
        if header == nil {
            do {
                header = try ChunkDecoder.decodeHeader(record(entry, in: region))
            } catch let error as FormatError {
                throw error.inFile(try snapshot.dataFilePath(day: entry.day), at: entry.offset)
            }
        }
        let bytes = record(entry, in: region)
        return try withExtendedLifetime(region) { try body(bytes, header!) }
    }

    private func record(_ entry: IndexChunkEntry, in region: MappedRegion) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: region.bytes[entry.offset..<(entry.offset + entry.length)])
    }

    /// The mapping holding `entry`'s whole record (whose offset and length are sane), if
    /// any; with `fresh`, a new mapping of the file, which replaces the one kept.
    private func region(_ entry: IndexChunkEntry, fresh: Bool = false) -> MappedRegion? {
        let end = entry.offset + entry.length
        if !fresh, let region = regions[entry.day], region.bytes.count >= end { return region }
        guard let file = snapshot.manifest.dataFile(ofDay: entry.day) else { return nil }
        let region = snapshot.mappings.map { $0.region(file, covering: end, in: snapshot, fresh: fresh) }
            ?? DataFileMappings.map(file, snapshot: snapshot)
        guard let region, region.bytes.count >= end else { return nil }
        regions[entry.day] = region
        return region
    }

    private func file(ofDay day: Int32) throws -> (file: FileID, path: String) {
        if let cached = open[day] { return cached }
        let path = try snapshot.dataFilePath(day: day)
        let opened = (file: try snapshot.fileSystem.open(path, .read), path: path)
        open[day] = opened
        return opened
    }

    /// The verified header and rollup of a chunk, from the store's cache when an earlier
    /// query read it. With `rollup` false the rollup section may be left undecoded (its
    /// `rollup` nil): a chunk's own statistics do not need it.
    func summary(_ entry: IndexChunkEntry, rollup wanted: Bool = true) throws -> ChunkSummary {
        let key = ChunkSummaryCache.Key(day: entry.day, offset: entry.offset, sequence: entry.sequence)
        if let cached = snapshot.summaries?.summary(key), cached.hasDecodedRollup || !wanted { return cached }
        let summary = try withRecord(entry) { record, header in
            do {
                let rollup = wanted ? try ChunkDecoder.decodeRollup(record, header: header) : nil
                return ChunkSummary(header: header, rollup: rollup, hasDecodedRollup: wanted)
            } catch let error as FormatError {
                throw error.inFile((try? snapshot.dataFilePath(day: entry.day)) ?? snapshot.layout.dataDirectory, at: entry.offset)
            }
        }
        snapshot.summaries?.insert(summary, for: key)
        return summary
    }
}
