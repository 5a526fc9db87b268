/// Runs `body` under the store's lock: how a commit's short phases reach the state that
/// appends and queries share. A caller already holding the lock passes ``StoreWriter/held``.
typealias UnderStoreLock = @Sendable (() throws -> Void) throws -> Void

/// A commit failed after the manifest may have been replaced: the writer no longer knows
/// which manifest is in force and must refuse writes until reopened.
struct UncertainCommit: Error {
    let error: any Error
}

/// What a seal's commit wrote, to be installed under the store's lock.
struct SealCommit {
    let manifest: Manifest
    let index: IndexSet
    /// Index segments merged away (deleted once the commit is installed).
    let obsoleteSegments: [UInt64]
}

extension StoreWriter {
    /// For callers that hold the store's lock already (or need none: opening).
    static let held: UnderStoreLock = { try $0() }

    /// Seals the due device-days (or every buffer) into chunks and commits them, in three
    /// phases so that appends go on meanwhile:
    ///
    /// 1. under the store's lock, the buffers move from `head` to `sealing` (queries still
    ///    see them);
    /// 2. without it, their rows are merged, encoded and appended to the data files, which
    ///    are fsynced, a new index segment is written and fsynced, then the manifest is
    ///    replaced atomically: the commit point;
    /// 3. under the lock again, the new manifest and index are installed, `sealing` is
    ///    emptied and the WAL segments only it kept alive are deleted.
    ///
    /// On failure the rows go back into the head (in front of rows appended since) and stay
    /// in the WAL. Then the automatic compaction policy runs (``compactIfFragmented(_:locked:)``).
    /// The caller holds the commit lock throughout.
    func seal(all: Bool, locked: UnderStoreLock = StoreWriter.held) throws {
        // Sealing everything is what a flush, a close or the memory bound waits for.
        chunkEncoding.usesSecondThread = all
        defer { chunkEncoding.usesSecondThread = false }
        var taken: [(key: DeviceDay, buffer: Head.Buffer)] = []
        try locked { taken = try self.beginSeal(all ? Array(self.head.buffers.keys) : Array(self.due)) }
        guard !taken.isEmpty else { return }
        let result = Result { try self.commit(taken) }
        try locked { try self.finishSeal(taken, result) }
        try compactIfFragmented(taken.map(\.key), locked: locked)
    }

    /// Phase 1: takes the buffers of `keys` out of the head into `sealing`.
    private func beginSeal(_ keys: [DeviceDay]) throws -> [(key: DeviceDay, buffer: Head.Buffer)] {
        try checkUsable()
        var taken: [(key: DeviceDay, buffer: Head.Buffer)] = []
        for key in keys.sorted(by: { ($0.device, $0.day) < ($1.device, $1.day) }) {
            if let buffer = head.remove(key) {
                taken.append((key, buffer))
                sealing.restore(key, buffer)
            }
        }
        for key in keys { due.remove(key) }
        return taken
    }

    /// Phase 3: installs a commit, or puts the rows back after a failed one.
    private func finishSeal(_ taken: [(key: DeviceDay, buffer: Head.Buffer)], _ result: Result<SealCommit?, any Error>) throws {
        sealing = Head()
        switch result {
        case .success(let commit):
            if let commit {
                manifest = commit.manifest
                index = commit.index
                for number in commit.obsoleteSegments { try? fileSystem.remove(layout.indexSegment(number)) }
            }
            try deleteSealedWALSegments()
        case .failure(let error):
            for (key, buffer) in taken { head.restore(key, buffer) }
            throw settle(error)
        }
    }

    /// The error to report for a failed commit; one that may have replaced the manifest
    /// also makes the writer refuse writes until reopened.
    func settle(_ error: any Error) -> any Error {
        guard let uncertain = error as? UncertainCommit else { return error }
        if failure == nil {
            failure = uncertain.error as? StoreError
                ?? .io(path: layout.manifest, operation: "replace", reason: "\(uncertain.error)", errno: 0)
        }
        return uncertain.error
    }

    /// Phase 2: writes and commits the chunks of `taken` (nil when they hold no rows).
    /// Reads `manifest` and `index` and changes neither: only the commit lock's holder
    /// changes them, in phase 3.
    private func commit(_ taken: [(key: DeviceDay, buffer: Head.Buffer)]) throws -> SealCommit? {
        var next = manifest
        next.generation += 1
        var files = DataFileAppends(fileSystem: fileSystem, layout: layout)
        defer { files.closeAll() }
        var sealed: [String: [(header: ChunkHeader, entry: IndexChunkEntry)]] = [:]
        // Chunks are encoded two at a time on both cores and come back here in order.
        // None may outlive this commit if it fails.
        defer { chunkEncoding.discardPending() }
        let emit: ChunkEncodingQueue.Emit = { chunk, record, header in
            let offset = try files.append(record, day: chunk.day, manifest: &next)
            let entry = IndexChunkEntry(day: chunk.day, offset: offset, length: record.count,
                                        rowCount: header.rowCount, minTimestamp: header.minTimestamp,
                                        maxTimestamp: header.maxTimestamp, sequence: chunk.sequence,
                                        walLSN: chunk.walLSN, points: header.pointCount)
            sealed[chunk.device, default: []].append((header, entry))
        }
        // One buffer for the merged rows of every device-day, so its storage is reused.
        var merged = ColumnarRows()
        for (key, buffer) in taken {
            RunMerger.merge(buffer.rows, policy: policy, into: &merged)
            guard merged.rowCount > 0 else { continue }
            // A buffer that grew past the row limit while it waited is cut into chunks of
            // at most the limit: consecutive slices of sorted rows never overlap.
            for rows in merged.split(maxRows: options.chunkRowLimit) {
                let sequence = next.nextChunkSequence
                next.nextChunkSequence += 1
                try chunkEncoding.add(ChunkEncodingQueue.Chunk(device: key.device, day: key.day, sequence: sequence,
                                                               walLSN: buffer.highestLSN, rows: rows, tag: 0), emit: emit)
            }
            next.lsnHighWater = max(next.lsnHighWater, buffer.highestLSN)
        }
        try chunkEncoding.drain(emit: emit)
        guard !sealed.isEmpty else { return nil }
        try files.syncAll(into: &next)

        let summaries = sealed.map { IndexDeviceSummary(device: $0.key, sealed: $0.value, policy: policy) }
        var written: [UInt64] = []
        var manifestMayBeReplaced = false
        do {
            let segment = next.nextIndexSegment
            next.nextIndexSegment += 1
            try writeSegment(segment, summaries)
            written.append(segment)
            next.indexSegments.append(segment)
            if let (merged, replaced) = try mergeIfDue(next.indexSegments, newSegment: segment, nextNumber: &next.nextIndexSegment) {
                written.append(merged)
                // The merged group is always the newest segments, so the merged one goes last.
                next.indexSegments = next.indexSegments.filter { !replaced.contains($0) } + [merged]
            }
            try next.save(to: layout.root, fileSystem: fileSystem) { manifestMayBeReplaced = true }
        } catch {
            if manifestMayBeReplaced {
                // The rename (or the directory fsync after it) failed: MANIFEST may already list
                // the new segment and data lengths, so nothing written may be deleted, and this
                // writer no longer knows which manifest is in force. Reopening settles it (the
                // WAL still holds the rows; replay skips what the manifest in force sealed).
                throw UncertainCommit(error: error)
            }
            for number in written { try? fileSystem.remove(layout.indexSegment(number)) }
            throw error
        }
        // Segments merged away: the old live ones, and the one this commit wrote when it was
        // merged at once (it was never live, but the file exists).
        let obsolete = (manifest.indexSegments + written).filter { !next.indexSegments.contains($0) }
        // The manifest is in force: a failure to map the new index is as uncertain as a
        // failed rename (reopening maps it or reports it).
        do {
            let nextIndex = try IndexSet(manifest: next, layout: layout, fileSystem: fileSystem, reusing: index)
            return SealCommit(manifest: next, index: nextIndex, obsoleteSegments: obsolete)
        } catch {
            throw UncertainCommit(error: error)
        }
    }

    func writeSegment(_ number: UInt64, _ summaries: [IndexDeviceSummary]) throws {
        let bytes = IndexSegmentWriter.encode(segment: number, devices: summaries)
        let path = layout.indexSegment(number)
        let file = try fileSystem.open(path, [.write, .create, .truncate])
        defer { fileSystem.close(file) }
        try bytes.withUnsafeBytes { try fileSystem.write(file, $0, at: 0) }
        try fileSystem.sync(file)
    }

    /// Keeps the number of live segments logarithmic in the number of chunks: the newest
    /// segments are merged while the one before them is no more than twice their size.
    /// Returns the merged segment's number and the segments it replaces.
    private func mergeIfDue(_ live: [UInt64], newSegment: UInt64, nextNumber: inout UInt64) throws -> (UInt64, [UInt64])? {
        var sizes: [(number: UInt64, chunks: Int)] = index.segments.map { ($0.number, $0.chunkCount) }
        let newSize = try IndexSegment(path: layout.indexSegment(newSegment), number: newSegment, fileSystem: fileSystem).chunkCount
        sizes.append((newSegment, newSize))
        var group = [sizes.removeLast()]
        var total = group[0].chunks
        while let previous = sizes.last, previous.chunks <= 2 * total || sizes.count + group.count > 8 {
            group.insert(sizes.removeLast(), at: 0)
            total += previous.chunks
        }
        guard group.count > 1 else { return nil }
        let segments = try group.map { member in
            try index.segments.first { $0.number == member.number }
                ?? IndexSegment(path: layout.indexSegment(member.number), number: member.number, fileSystem: fileSystem)
        }
        let summaries = try IndexSet(segments: segments).summaries(policy: policy)
        let number = nextNumber
        nextNumber += 1
        try writeSegment(number, summaries)
        return (number, group.map(\.number))
    }

    /// Deletes WAL segments older than every row still in the head (or being sealed).
    func deleteSealedWALSegments() throws {
        let keepFrom = [head.oldestSegmentInUse, sealing.oldestSegmentInUse, wal.segment].compactMap { $0 }.min() ?? wal.segment
        for number in try WALReader.segments(in: layout.walDirectory, fileSystem: fileSystem) where number < keepFrom {
            try fileSystem.remove(layout.walSegment(number))
        }
    }
}

extension StoreWriter {
    /// After a clean flush every WAL record is sealed: every segment can go, the current
    /// one too (the writer is closing), so a closed store holds no log at all. Nothing in
    /// them is needed any more, so they are not fsynced first.
    func deleteAllWAL() throws {
        guard head.rowCount == 0 else { return }
        for number in try WALReader.segments(in: layout.walDirectory, fileSystem: fileSystem) {
            try fileSystem.remove(layout.walSegment(number))
        }
        try fileSystem.syncDirectory(layout.walDirectory)
    }
}
