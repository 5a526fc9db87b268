extension StoreWriter {
    /// Rewrites data files as `plan` says and commits the result atomically: each rewritten
    /// day gets a new, numbered data file (chunks merged, left out or copied byte for byte),
    /// dropped days lose theirs, and one new index segment replaces every live one. The
    /// manifest rename is the commit point (SPEC §8, "Compaction and drops"): a crash before
    /// it leaves the old files in force, after it the new ones; the replaced files are
    /// deleted only once the new manifest is in force. A reader holding an old file open
    /// keeps reading it (the file lives on until closed); one that opens a file by an old
    /// manifest after the deletion gets "no such file" and retries on the newer manifest.
    ///
    /// Merged chunks carry the highest `wal_lsn` of the chunks they replace, so WAL replay
    /// and readers' WAL tails skip exactly the rows they skipped before.
    /// `summaries`: the index's device summaries, when the caller has them already.
    ///
    /// The files are written without the store's lock (the caller holds the commit lock,
    /// so the manifest and index cannot change meanwhile); installing the result takes it.
    func rewrite(_ plan: RewritePlan, summaries known: [IndexDeviceSummary]? = nil,
                 locked: UnderStoreLock = StoreWriter.held) throws -> RewriteOutcome {
        guard !plan.isEmpty else { return RewriteOutcome() }
        try locked { try self.checkUsable() }
        let result = Result { try self.writeRewrite(plan, summaries: known) }
        var outcome = RewriteOutcome()
        try locked { outcome = try self.install(result) }
        return outcome
    }

    /// What a rewrite wrote, to be installed under the store's lock.
    struct RewriteCommit {
        let manifest: Manifest
        let index: IndexSet
        let outcome: RewriteOutcome
        /// Files to delete once the commit is installed.
        let replacedPaths: [String]
    }

    /// Installs a rewrite: the new manifest and index, then the replaced files go. Leftovers
    /// are harmless (the next writer deletes unlisted files), so a failed deletion is not an
    /// error of the rewrite.
    private func install(_ result: Result<RewriteCommit, any Error>) throws -> RewriteOutcome {
        switch result {
        case .success(let commit):
            manifest = commit.manifest
            index = commit.index
            // Fields of removed devices must not constrain what they may send next.
            schemas = [:]
            for path in commit.replacedPaths { try? fileSystem.remove(path) }
            return commit.outcome
        case .failure(let error):
            throw settle(error)
        }
    }

    /// Writes the rewritten files and replaces the manifest; changes nothing in memory.
    private func writeRewrite(_ plan: RewritePlan, summaries known: [IndexDeviceSummary]?) throws -> RewriteCommit {
        var outcome = RewriteOutcome()
        var next = manifest
        next.generation += 1
        var summaries = try known ?? index.summaries(policy: policy)
        var replacements = [[IndexChunkEntry]](repeating: [], count: summaries.count)
        var files = DataFileAppends(fileSystem: fileSystem, layout: layout)
        defer { files.closeAll() }
        var emptyDays: [Int32] = []
        var segment: UInt64?
        var manifestMayBeReplaced = false
        do {
            for day in plan.days.keys.sorted() where !plan.droppedDays.contains(day) {
                guard let live = manifest.dataFile(ofDay: day), let dayPlan = plan.days[day] else { continue }
                try files.replace(day: day, manifest: &next)
                let written = try rewriteDay(live, dayPlan, summaries, into: &replacements, files: &files,
                                             manifest: &next, outcome: &outcome)
                if written == 0 { emptyDays.append(day) }
            }
            try files.syncAll(into: &next)
            for day in emptyDays { next.dataFiles.removeAll { $0.day == day } }
            for day in plan.droppedDays.sorted() {
                guard let live = manifest.dataFile(ofDay: day) else { continue }
                outcome.bytesBefore += live.committedLength
                outcome.daysDropped.append(day)
                next.dataFiles.removeAll { $0.day == day }
            }
            for file in next.dataFiles where plan.days[file.day] != nil { outcome.bytesAfter += file.committedLength }
            outcome.daysDropped += emptyDays
            outcome.daysDropped.sort()

            let touched = Set(plan.days.keys).union(plan.droppedDays)
            for d in summaries.indices {
                var kept: [IndexChunkEntry] = []
                for chunk in summaries[d].chunks {
                    if !touched.contains(chunk.day) { kept.append(chunk); continue }
                    if plan.droppedDays.contains(chunk.day) {
                        outcome.chunksBefore += 1
                        outcome.chunksRemoved += 1
                        outcome.rowsRemoved += chunk.rowCount
                    }
                }
                summaries[d].replaceChunks(kept + replacements[d])
            }
            summaries.removeAll { $0.chunks.isEmpty }
            let number = next.nextIndexSegment
            next.nextIndexSegment += 1
            segment = number
            try writeSegment(number, summaries)
            next.indexSegments = [number]
            try next.save(to: layout.root, fileSystem: fileSystem) { manifestMayBeReplaced = true }
        } catch {
            if manifestMayBeReplaced {
                // As in a seal's commit: the new manifest may be in force, so nothing written
                // may be deleted; reopening settles which files are live.
                throw UncertainCommit(error: error)
            }
            for path in files.createdPaths { try? fileSystem.remove(path) }
            if let segment { try? fileSystem.remove(layout.indexSegment(segment)) }
            throw error
        }
        let replacedFiles = manifest.dataFiles.filter { plan.days[$0.day] != nil || plan.droppedDays.contains($0.day) }
        let replaced = replacedFiles.map(layout.dataFile) + emptyDays.compactMap { files.createdPath(day: $0) }
            + manifest.indexSegments.map(layout.indexSegment)
        do {
            let nextIndex = try IndexSet(manifest: next, layout: layout, fileSystem: fileSystem)
            return RewriteCommit(manifest: next, index: nextIndex, outcome: outcome, replacedPaths: replaced)
        } catch {
            throw UncertainCommit(error: error)
        }
    }

    /// Writes the new file of one day; returns how many chunks it holds.
    private func rewriteDay(_ live: Manifest.DataFileState, _ plan: RewritePlan.Day, _ summaries: [IndexDeviceSummary],
                            into replacements: inout [[IndexChunkEntry]], files: inout DataFileAppends,
                            manifest next: inout Manifest, outcome: inout RewriteOutcome) throws -> Int {
        let path = layout.dataFile(live)
        let source = try fileSystem.open(path, .read)
        defer { fileSystem.close(source) }
        outcome.bytesBefore += live.committedLength
        var record = ByteWriter()
        var written = 0
        // Merged chunks are encoded two at a time on both cores and come back in order.
        // None may outlive this day if the rewrite fails (a damaged chunk met later).
        defer { chunkEncoding.discardPending() }
        let emit: ChunkEncodingQueue.Emit = { chunk, record, header in
            let offset = try files.append(record, day: chunk.day, manifest: &next)
            replacements[chunk.tag].append(IndexChunkEntry(day: chunk.day, offset: offset, length: record.count,
                                                           rowCount: header.rowCount, minTimestamp: header.minTimestamp,
                                                           maxTimestamp: header.maxTimestamp, sequence: chunk.sequence,
                                                           walLSN: chunk.walLSN, points: header.pointCount))
            written += 1
        }
        defer { outcome.chunksAfter += written }
        for d in summaries.indices {
            let chunks = summaries[d].chunks.filter { $0.day == live.day }.sorted { $0.sequence < $1.sequence }
            guard !chunks.isEmpty else { continue }
            let device = summaries[d].device
            outcome.chunksBefore += chunks.count
            if plan.remove.contains(device) {
                outcome.chunksRemoved += chunks.count
                outcome.rowsRemoved += chunks.reduce(0) { $0 + $1.rowCount }
                continue
            }
            if plan.merge.contains(device) {
                var runs: [ColumnarRows] = []
                for chunk in chunks {
                    let (bytes, header) = try DataFile.readChunk(source, path: path, entry: chunk, fileSystem: fileSystem)
                    do {
                        runs.append(try bytes.withUnsafeBytes { try ChunkDecoder.decodeRows($0, header: header, fields: nil) })
                    } catch let error as FormatError {
                        throw error.inFile(path, at: chunk.offset)
                    }
                }
                let merged = RunMerger.merge(runs, policy: policy, fields: nil, from: .min, toInclusive: .max)
                let walLSN = chunks.map(\.walLSN).max() ?? 0
                for rows in merged.split(maxRows: options.chunkRowLimit) where rows.rowCount > 0 {
                    let sequence = next.nextChunkSequence
                    next.nextChunkSequence += 1
                    try chunkEncoding.add(ChunkEncodingQueue.Chunk(device: device, day: live.day, sequence: sequence,
                                                                   walLSN: walLSN, rows: rows, tag: d), emit: emit)
                }
                outcome.deviceDaysMerged += 1
                continue
            }
            // Copied chunks follow the merged ones before them in the file, as they would
            // from one thread.
            try chunkEncoding.drain(emit: emit)
            for chunk in chunks {
                // Read through the checked path: a damaged record is not copied on.
                let (bytes, _) = try DataFile.readChunk(source, path: path, entry: chunk, fileSystem: fileSystem)
                record.reset()
                record.append(bytes)
                var moved = chunk
                moved.offset = try files.append(record, day: live.day, manifest: &next)
                replacements[d].append(moved)
                written += 1
            }
        }
        try chunkEncoding.drain(emit: emit)
        return written
    }
}
