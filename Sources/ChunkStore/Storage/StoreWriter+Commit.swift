extension StoreWriter {
    /// Seals the given device-days into chunks and commits them: chunk records appended
    /// and fsynced, a new index segment written and fsynced, then the manifest replaced
    /// atomically. Only then are the rows dropped from the head and the WAL segments they
    /// alone kept alive deleted. On failure the rows stay in the head and the WAL.
    func seal(_ keys: [DeviceDay]) throws {
        guard !keys.isEmpty else { return }
        var taken: [(key: DeviceDay, buffer: Head.Buffer)] = []
        for key in keys.sorted(by: { ($0.device, $0.day) < ($1.device, $1.day) }) {
            if let buffer = head.remove(key) { taken.append((key, buffer)) }
        }
        for key in keys { due.remove(key) }
        do {
            try commit(taken)
        } catch {
            for (key, buffer) in taken { head.restore(key, buffer) }
            throw error
        }
        try deleteSealedWALSegments()
        try compactIfFragmented(taken.map(\.key))
    }

    private func commit(_ taken: [(key: DeviceDay, buffer: Head.Buffer)]) throws {
        var next = manifest
        next.generation += 1
        var files = DataFileAppends(fileSystem: fileSystem, layout: layout)
        defer { files.closeAll() }
        var sealed: [String: [(header: ChunkHeader, entry: IndexChunkEntry)]] = [:]
        // One buffer for the merged rows of every device-day, and one for each encoded
        // record, so their storage is reused.
        var merged = ColumnarRows()
        var record = ByteWriter()
        for (key, buffer) in taken {
            RunMerger.merge(buffer.rows, policy: policy, into: &merged)
            guard merged.rowCount > 0 else { continue }
            // A buffer that grew past the row limit while it waited is cut into chunks of
            // at most the limit: consecutive slices of sorted rows never overlap.
            for rows in merged.split(maxRows: options.chunkRowLimit) {
                let sequence = next.nextChunkSequence
                next.nextChunkSequence += 1
                record.reset()
                let header = encoder.encode(device: key.device, day: key.day, sequence: sequence, walLSN: buffer.highestLSN,
                                            rows: rows, into: &record)
                let offset = try files.append(record, day: key.day, manifest: &next)
                let entry = IndexChunkEntry(day: key.day, offset: offset, length: record.count,
                                            rowCount: header.rowCount, minTimestamp: header.minTimestamp,
                                            maxTimestamp: header.maxTimestamp, sequence: sequence,
                                            walLSN: buffer.highestLSN, points: header.pointCount)
                sealed[key.device, default: []].append((header, entry))
            }
            next.lsnHighWater = max(next.lsnHighWater, buffer.highestLSN)
        }
        guard !sealed.isEmpty else { return }
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
                failure = error as? StoreError ?? .io(path: layout.manifest, operation: "replace", reason: "\(error)", errno: 0)
                throw error
            }
            for number in written { try? fileSystem.remove(layout.indexSegment(number)) }
            throw error
        }
        // Segments merged away: the old live ones, and the one this commit wrote when it was
        // merged at once (it was never live, but the file exists).
        let obsolete = (manifest.indexSegments + written).filter { !next.indexSegments.contains($0) }
        manifest = next
        index = try IndexSet(manifest: next, layout: layout, fileSystem: fileSystem, reusing: index)
        for number in obsolete { try? fileSystem.remove(layout.indexSegment(number)) }
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

    /// Deletes WAL segments older than every row still in the head.
    func deleteSealedWALSegments() throws {
        let keepFrom = min(head.oldestSegmentInUse ?? wal.segment, wal.segment)
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
