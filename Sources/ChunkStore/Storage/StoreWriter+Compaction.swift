extension StoreWriter {
    /// Merges every fragmented device-day (see ``isFragmented(_:excess:)``), and rewrites
    /// every device-day with a chunk that lacks the rollup it would get today (written
    /// before rollups existed), in one rewrite.
    func compact(locked: UnderStoreLock = StoreWriter.held) throws -> RewriteOutcome {
        chunkEncoding.usesSecondThread = true
        defer { chunkEncoding.usesSecondThread = false }
        var plan = RewritePlan()
        let summaries = try index.summaries(policy: policy)
        var missingRollups = RollupProbe(writer: self)
        defer { missingRollups.close() }
        for summary in summaries {
            for (day, chunks) in Dictionary(grouping: summary.chunks, by: \.day) {
                var rewrite = isFragmented(chunks, excess: 1)
                for chunk in chunks where !rewrite { rewrite = try missingRollups.lacksRollup(chunk) }
                guard rewrite else { continue }
                plan.days[day, default: RewritePlan.Day()].merge.insert(summary.device)
            }
        }
        return try rewrite(plan, summaries: summaries, locked: locked)
    }

    /// The automatic policy, run after each seal. A device-day is compacted at once, with
    /// every other fragmented device-day of the same days (their files are being rewritten
    /// anyway), when
    ///
    /// - the seal leaves it at least `options.compactionTrigger` chunks more than its rows
    ///   need, or
    /// - the seal was of the device's next day, and the day before is fragmented at all
    ///   (more chunks than needed, or chunks overlapping after late rows): that day has
    ///   settled, and is merged once, so that downsampling finds its chunks apart and can
    ///   answer from their rollups (overlapping chunks must be decoded).
    ///
    /// A failure leaves the old chunks in force (the next seal of that device-day tries
    /// again) and is thrown like a failed seal's: the rows just sealed are committed all
    /// the same. Like a seal, it reads and writes without the store's lock (the caller
    /// holds the commit lock) and takes it to install the result.
    func compactIfFragmented(_ sealed: [DeviceDay], locked: UnderStoreLock = StoreWriter.held) throws {
        let trigger = options.compactionTrigger
        var usable = false
        try locked { usable = self.failure == nil }
        guard trigger > 0, usable else { return }
        var days = Set<Int32>()
        var chunksByDevice: [String: [IndexChunkEntry]] = [:]
        for key in sealed {
            if chunksByDevice[key.device] == nil { chunksByDevice[key.device] = try index.chunks(of: key.device) }
            let chunks = chunksByDevice[key.device, default: []]
            if !days.contains(key.day), isFragmented(chunks.filter { $0.day == key.day }, excess: trigger) { days.insert(key.day) }
            let settled = key.day &- 1  // wraps only at the first representable day, which has no day before
            if key.day > Int32.min, !days.contains(settled), isFragmented(chunks.filter { $0.day == settled }, excess: 1) { days.insert(settled) }
        }
        guard !days.isEmpty else { return }
        var plan = RewritePlan()
        let summaries = try index.summaries(policy: policy)
        for summary in summaries {
            for day in days {
                let chunks = summary.chunks.filter { $0.day == day }
                if isFragmented(chunks, excess: 1) { plan.days[day, default: RewritePlan.Day()].merge.insert(summary.device) }
            }
        }
        _ = try rewrite(plan, summaries: summaries, locked: locked)
    }

    /// Whether the chunks of one device-day could be fewer: they number at least `excess`
    /// more than their rows need at the row limit, or (with `excess` 1) two of them overlap
    /// in time. Rows are counted before duplicates resolve, so this never calls a minimal
    /// set fragmented; chunks that do not overlap share no timestamp, so merging them could
    /// not shrink them below that count anyway.
    func isFragmented(_ chunks: [IndexChunkEntry], excess: Int) -> Bool {
        guard chunks.count > 1 else { return false }
        let rows = chunks.reduce(0) { $0 + $1.rowCount }
        let needed = max(1, (rows + options.chunkRowLimit - 1) / options.chunkRowLimit)
        if chunks.count - needed >= excess { return true }
        guard excess <= 1 else { return false }
        let sorted = chunks.sorted { $0.minTimestamp < $1.minTimestamp }
        return zip(sorted, sorted.dropFirst()).contains { $0.maxTimestamp >= $1.minTimestamp }
    }
}

/// Finds chunks whose rows span several rollup cells but that carry no rollup, by reading
/// only the flags byte of their records (the rewrite that follows checks everything).
struct RollupProbe {
    let writer: StoreWriter
    private var open: [Int32: FileID] = [:]

    init(writer: StoreWriter) {
        self.writer = writer
    }

    mutating func lacksRollup(_ entry: IndexChunkEntry) throws -> Bool {
        guard ChunkRollup.hasCell(entry.minTimestamp),
              ChunkRollup.cellStart(of: entry.minTimestamp) != ChunkRollup.cellStart(of: entry.maxTimestamp),
              let state = writer.manifest.dataFile(ofDay: entry.day) else { return false }
        let path = writer.layout.dataFile(state)
        let file = try open[entry.day] ?? writer.fileSystem.open(path, .read)
        open[entry.day] = file
        // body_length u32, magic u32, version u8, flags u8.
        var prefix = [UInt8](repeating: 0, count: 10)
        let n = try prefix.withUnsafeMutableBytes { try writer.fileSystem.read(file, into: $0, at: entry.offset) }
        guard n == prefix.count else {
            throw StoreError.corrupt(path: path, offset: entry.offset, reason: "chunk record cut short at \(n) bytes")
        }
        return prefix[9] & FormatConstants.chunkFlagRollup == 0
    }

    mutating func close() {
        for file in open.values { writer.fileSystem.close(file) }
        open.removeAll()
    }
}
