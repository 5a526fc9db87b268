extension StoreWriter {
    /// Opens or creates the store at `path` as its single writer: takes the lock, reads the
    /// manifest, cuts uncommitted bytes and files left by a crash, and replays the WAL.
    static func open(path: String, options: StoreOptions) throws -> StoreWriter {
        let fs = options.fileSystem
        let layout = StoreLayout(root: path)
        if !fs.exists(path) {
            guard options.createIfMissing else { throw StoreError.storeNotFound(path: path) }
            do {
                try fs.makeDirectories(path)
            } catch let error as StoreError {
                throw StoreError.cannotCreate(path: path, reason: "\(error)")
            }
        }
        guard let lock = try fs.tryLock(layout.lock) else { throw StoreError.locked(path: path) }
        do {
            try fs.makeDirectory(layout.dataDirectory)
            try fs.makeDirectory(layout.walDirectory)
            var manifest: Manifest
            if fs.exists(layout.manifest) {
                manifest = try Manifest.load(from: path, fileSystem: fs)
            } else {
                try checkEmptyForCreation(layout, fs)
                manifest = Manifest()
                manifest.duplicatePolicy = options.duplicatePolicy
                try manifest.save(to: path, fileSystem: fs)
            }
            try removeUncommitted(layout, manifest, fs)
            let index = try IndexSet(manifest: manifest, layout: layout, fileSystem: fs)

            var head = Head()
            var report = RecoveryReport()
            var highestLSN = manifest.lsnHighWater
            var schemas: [String: [String: FieldType]] = [:]
            var sealedLSNs: [DeviceDay: UInt64] = [:]
            var skipped: [String] = []
            var rowsRecovered = 0
            try WALReader.replay(directory: layout.walDirectory, fileSystem: fs, report: &report) { group in
                let key = DeviceDay(device: group.device, day: group.day)
                let sealed: UInt64
                if let known = sealedLSNs[key] { sealed = known } else {
                    sealed = try index.sealedLSN(device: group.device, day: group.day)
                    sealedLSNs[key] = sealed
                }
                highestLSN = max(highestLSN, group.lsn)
                guard group.lsn > sealed else { return }
                if schemas[group.device] == nil { schemas[group.device] = try index.schema(of: group.device) }
                for column in group.rows.columns {
                    if let existing = schemas[group.device]?[column.name], existing != column.type {
                        skipped.append("WAL record \(group.lsn): field \(column.name) of \(group.device) changes type; skipped")
                        return
                    }
                    schemas[group.device]?[column.name] = column.type
                }
                head.add(group, segment: 0)
                rowsRecovered += group.rows.rowCount
            }
            report.truncations += skipped
            report.rowsRecovered = rowsRecovered
            let segments = try WALReader.segments(in: layout.walDirectory, fileSystem: fs)
            let wal = try WALWriter(fileSystem: fs, directory: layout.walDirectory, segment: (segments.last ?? 0) + 1,
                                    segmentSizeLimit: options.walSegmentSize)
            let writer = StoreWriter(fileSystem: fs, layout: layout, options: options, manifest: manifest, index: index,
                                     wal: wal, head: head, nextLSN: highestLSN + 1, lock: lock, recovery: report)
            writer.schemas = schemas
            do {
                writer.observer = try RuleObserver.load(for: writer)
                (writer.observer as? RuleObserver)?.catchUp(on: writer.head)
            } catch {
                wal.close()
                throw error
            }
            // Replayed rows are sealed at once: the old WAL segments can then go, and the
            // head starts empty however large the WAL was.
            do {
                if writer.head.rowCount > 0 { try writer.flush() } else { try writer.deleteSealedWALSegments() }
                // A retention period is enforced by every writer when it opens (and hourly, see Store).
                _ = try writer.enforceRetention(now: WallClock.nanoseconds())
            } catch {
                wal.close()
                throw error
            }
            return writer
        } catch {
            fs.unlock(lock)
            throw error
        }
    }

    /// A directory without a manifest may become a store only if it holds nothing but
    /// what an interrupted creation leaves (the lock, empty data and WAL folders).
    private static func checkEmptyForCreation(_ layout: StoreLayout, _ fs: any FileSystem) throws {
        let allowed: Set<String> = [StoreLayout.lockName, StoreLayout.dataDirectoryName, StoreLayout.walDirectoryName,
                                    StoreLayout.manifestName + ".tmp"]
        let entries = try fs.list(layout.root)
        let strangers = entries.filter { !allowed.contains($0) }
        let dataFiles = try fs.list(layout.dataDirectory)
        guard strangers.isEmpty, dataFiles.isEmpty else {
            throw StoreError.cannotCreate(path: layout.root,
                                          reason: "the directory is not empty and has no MANIFEST, so it is not a ChunkStore store")
        }
    }

    /// Removes what a crash can leave behind a commit: bytes past a data file's committed
    /// length, data files and index segments the manifest does not list, temporary files.
    private static func removeUncommitted(_ layout: StoreLayout, _ manifest: Manifest, _ fs: any FileSystem) throws {
        try? fs.remove(layout.manifestTemporary)
        let liveSegments = Set(manifest.indexSegments)
        for name in try fs.list(layout.root) {
            guard let number = StoreLayout.indexSegmentNumber(fromName: name), !liveSegments.contains(number) else { continue }
            try fs.remove(layout.indexSegment(number))
        }
        let liveDays = Dictionary(uniqueKeysWithValues: manifest.dataFiles.map {
            (StoreLayout.dataFileName(day: $0.day, number: $0.number), $0)
        })
        for name in try fs.list(layout.dataDirectory) {
            let path = layout.dataDirectory + "/" + name
            guard let state = liveDays[name] else {
                try fs.remove(path)
                continue
            }
            let file = try fs.open(path, [.read, .write])
            defer { fs.close(file) }
            let size = try fs.size(file)
            if size > state.committedLength {
                try fs.truncate(file, to: state.committedLength)
                try fs.sync(file)
            } else if size < state.committedLength {
                throw StoreError.corrupt(path: path, offset: size,
                                         reason: "data file is \(size) bytes but the manifest committed \(state.committedLength)")
            }
        }
    }
}
