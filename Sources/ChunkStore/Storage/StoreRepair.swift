/// What ``Store/repair(at:options:)`` did.
public struct RepairReport: Sendable, Hashable {
    /// Intact chunks kept (all of them end up in the rebuilt index).
    public var chunksKept = 0
    /// Damaged chunk records dropped, with file and offset.
    public var damaged: [String] = []
    /// Data files whose damaged original was moved into `damaged/` (path after the move).
    public var movedAside: [String] = []
    /// Whether the manifest had to be rebuilt from the data files.
    public var manifestRebuilt = false

    /// An empty report.
    public init() {}
}

/// Rebuilds a store's index from its self-describing data files, keeping every intact
/// chunk: damaged data files are rewritten without their damaged records (the original is
/// moved into `damaged/`), and a fresh manifest and a single index segment replace the old.
enum StoreRepair {
    static func run(path: String, options: StoreOptions) throws -> RepairReport {
        let fs = options.fileSystem
        let layout = StoreLayout(root: path)
        guard fs.exists(path) else { throw StoreError.storeNotFound(path: path) }
        guard let lock = try fs.tryLock(layout.lock) else { throw StoreError.locked(path: path) }
        defer { fs.unlock(lock) }
        var report = RepairReport()

        let old: Manifest? = try? Manifest.load(from: path, fileSystem: fs)
        if old == nil { report.manifestRebuilt = true }
        var next = old ?? Manifest()
        if old == nil { next.duplicatePolicy = options.duplicatePolicy }
        next.generation += 1
        next.dataFiles = []

        try fs.makeDirectory(layout.dataDirectory)
        var sealed: [String: [(header: ChunkHeader, entry: IndexChunkEntry)]] = [:]
        // A day can have several files when a compaction or drop was cut short: the newer
        // (higher-numbered) one holds the same rows, rewritten. Without a manifest to say
        // which is live, the newest that reads back whole wins (sorted first here).
        var names: [(name: String, number: UInt64)] = try fs.list(layout.dataDirectory).compactMap { name in
            StoreLayout.dataFileNumber(fromName: name).map { (name, $0) }
        }
        names.sort { a, b in
            let (dayA, dayB) = (a.name.prefix { $0 != "." }, b.name.prefix { $0 != "." })
            return dayA != dayB ? dayA < dayB : a.number > b.number
        }
        var daysTaken = Set<Substring>()
        for (position, (name, number)) in names.enumerated() {
            let dayName = name.prefix { $0 != "." }
            if daysTaken.contains(dayName) { continue }
            let filePath = layout.dataDirectory + "/" + name
            let committed = old?.dataFiles.first { StoreLayout.dataFileName(day: $0.day, number: $0.number) == name }?.committedLength
            if old != nil && committed == nil { continue } // an uncommitted file of a healthy store
            let bytes = try fs.readAll(filePath)
            // Without a manifest entry the whole file is read: a commit may have been lost
            // with the manifest, never the chunks themselves.
            let limit = min(bytes.count, committed ?? bytes.count)
            var scanReport = RepairReport()
            guard let scan = scanRecords(bytes, limit: limit, path: filePath, report: &scanReport) else {
                report.damaged += scanReport.damaged
                try moveAside(filePath, name, layout, fs, &report)
                continue
            }
            let olderCandidate = position + 1 < names.count && names[position + 1].name.prefix { $0 != "." } == dayName
            if old == nil && scan.damaged && olderCandidate {
                // A rewrite cut short: the older file still holds every row.
                report.damaged += scanReport.damaged.map { $0 + " (an unfinished rewrite; the older file is kept)" }
                continue
            }
            report.damaged += scanReport.damaged
            daysTaken.insert(dayName)
            var keep = scan.records
            if scan.damaged {
                var rewritten = ByteWriter()
                rewritten.append(DataFile.header(day: scan.day))
                for i in keep.indices {
                    let start = keep[i].entry.offset
                    keep[i].entry.offset = rewritten.count
                    rewritten.append(Array(bytes[start..<(start + keep[i].entry.length)]))
                }
                let temp = filePath + ".repair"
                let file = try fs.open(temp, [.write, .create, .truncate])
                try rewritten.bytes.withUnsafeBytes { try fs.write(file, $0, at: 0) }
                try fs.sync(file)
                fs.close(file)
                try moveAside(filePath, name, layout, fs, &report)
                try fs.rename(temp, to: filePath)
                try fs.syncDirectory(layout.dataDirectory)
                next.setDataFile(Manifest.DataFileState(day: scan.day, committedLength: rewritten.count, number: number))
            } else {
                next.setDataFile(Manifest.DataFileState(day: scan.day, committedLength: limit, number: number))
            }
            next.nextDataFile = max(next.nextDataFile, number + 1)
            for record in keep {
                sealed[record.header.device, default: []].append(record)
                next.nextChunkSequence = max(next.nextChunkSequence, record.header.sequence + 1)
                next.lsnHighWater = max(next.lsnHighWater, record.header.walLSN)
            }
            report.chunksKept += keep.count
        }

        let existing = try fs.list(path).compactMap { name -> UInt64? in
            StoreLayout.indexSegmentNumber(fromName: name)
        }
        let segment = max(next.nextIndexSegment, (existing.max() ?? 0) + 1)
        next.nextIndexSegment = segment + 1
        let summaries = sealed.map { device, chunks in
            IndexDeviceSummary(device: device, sealed: chunks.sorted { $0.header.sequence < $1.header.sequence },
                               policy: next.duplicatePolicy)
        }
        let bytes = IndexSegmentWriter.encode(segment: segment, devices: summaries)
        let file = try fs.open(layout.indexSegment(segment), [.write, .create, .truncate])
        do {
            try bytes.withUnsafeBytes { try fs.write(file, $0, at: 0) }
            try fs.sync(file)
        } catch {
            fs.close(file)
            throw error
        }
        fs.close(file)
        next.indexSegments = [segment]
        try next.save(to: path, fileSystem: fs)
        for number in existing where number != segment { try? fs.remove(layout.indexSegment(number)) }
        return report
    }

    /// Intact records of a data file; nil when even its header is unreadable.
    private static func scanRecords(_ bytes: [UInt8], limit: Int, path: String, report: inout RepairReport)
        -> (day: Int32, records: [(header: ChunkHeader, entry: IndexChunkEntry)], damaged: Bool)? {
        bytes.withUnsafeBytes { buffer in
            guard let day = try? DataFile.checkHeader(buffer, path: path) else {
                report.damaged.append("\(path): offset 0: unreadable data file header")
                return nil
            }
            var records: [(header: ChunkHeader, entry: IndexChunkEntry)] = []
            var damaged = false
            var offset = FormatConstants.dataFileHeaderSize
            while offset + FormatConstants.chunkFramingSize <= limit {
                let bodyLength = Int(buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
                let length = bodyLength + FormatConstants.chunkFramingSize
                guard bodyLength <= FormatConstants.maxChunkBodySize, length <= limit - offset else {
                    report.damaged.append("\(path): offset \(offset): record length unreadable; the rest of the file is lost")
                    damaged = true
                    break
                }
                let record = UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + length)])
                if let header = try? ChunkDecoder.decodeHeader(record),
                   let rows = try? ChunkDecoder.decodeRows(record, header: header, fields: nil),
                   (try? ChunkDecoder.checkRollup(record, header: header, rows: rows)) != nil, header.day == day {
                    records.append((header, IndexChunkEntry(day: day, offset: offset, length: length, rowCount: header.rowCount,
                                                            minTimestamp: header.minTimestamp, maxTimestamp: header.maxTimestamp,
                                                            sequence: header.sequence, walLSN: header.walLSN,
                                                            points: header.pointCount)))
                } else {
                    report.damaged.append("\(path): offset \(offset): damaged chunk record dropped")
                    damaged = true
                }
                offset += length
            }
            if offset < limit && !damaged {
                report.damaged.append("\(path): offset \(offset): trailing bytes dropped")
                damaged = true
            }
            return (day, records, damaged)
        }
    }

    private static func moveAside(_ filePath: String, _ name: String, _ layout: StoreLayout, _ fs: any FileSystem,
                                  _ report: inout RepairReport) throws {
        let directory = layout.damagedDirectory
        try fs.makeDirectory(directory)
        var target = directory + "/" + name
        var n = 1
        while fs.exists(target) {
            target = directory + "/" + name + ".\(n)"
            n += 1
        }
        try fs.rename(filePath, to: target)
        try fs.syncDirectory(directory)
        report.movedAside.append(target)
    }
}

extension Store {
    /// Rebuilds the index of the store at `path` from its data files, keeping every intact
    /// chunk. Data files with damaged records are rewritten without them (the original goes
    /// to `damaged/`); a lost or damaged manifest is rebuilt (its duplicate policy then comes
    /// from `options`). Takes the writer's lock: fails with ``StoreError/locked(path:)``
    /// while a writer is open. Rows still in the WAL are untouched and replayed by the next
    /// writer.
    public static func repair(at path: String, options: StoreOptions = StoreOptions()) throws(StoreError) -> RepairReport {
        try StoreError.wrapping(path) { try StoreRepair.run(path: path, options: options) }
    }
}
