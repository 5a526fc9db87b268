extension StoreWriter {
    static let dayNanoseconds: Int64 = 86_400_000_000_000

    /// Drops every day before `beforeDay` (UTC day number), or only `device`'s chunks of
    /// those days, and reclaims their space.
    ///
    /// Everything buffered is sealed first, and the WAL segments that held it deleted:
    /// replay and readers keep a WAL record whose LSN is above what its device-day's chunks
    /// hold, and a dropped device-day holds nothing, so its old records would bring the
    /// dropped rows back.
    func drop(beforeDay cutoffDay: Int32, device: String?) throws -> RewriteOutcome {
        try flush()
        if wal.hasRecords {
            do { try wal.roll() } catch let error as StoreError { failure = error; throw error }
        }
        try deleteSealedWALSegments()
        var plan = RewritePlan()
        if let device {
            for chunk in try index.chunks(of: device) where chunk.day < cutoffDay {
                plan.days[chunk.day, default: RewritePlan.Day()].remove.insert(device)
            }
        } else {
            for file in manifest.dataFiles where file.day < cutoffDay { plan.droppedDays.insert(file.day) }
        }
        return try rewrite(plan)
    }

    /// Records a retention period (0: off) in the manifest, then enforces it.
    func setRetention(_ nanoseconds: Int64, now: Int64) throws -> RewriteOutcome {
        try checkUsable()
        guard nanoseconds >= 0 else { throw StoreError.invalidArgument("the retention period must not be negative") }
        if nanoseconds != manifest.retention {
            var next = manifest
            next.generation += 1
            next.retention = nanoseconds
            var mayBeReplaced = false
            do {
                try next.save(to: layout.root, fileSystem: fileSystem) { mayBeReplaced = true }
            } catch {
                if mayBeReplaced {
                    failure = error as? StoreError ?? .io(path: layout.manifest, operation: "replace", reason: "\(error)", errno: 0)
                }
                throw error
            }
            manifest = next
        }
        return try enforceRetention(now: now)
    }

    /// The oldest timestamp an append may carry: now minus the retention (`.min` when off).
    func oldestAccepted(now: Int64) -> Int64 {
        manifest.retention > 0 ? now &- manifest.retention : .min
    }

    /// Drops the days that ended at or before now minus the retention. Rows of an older
    /// day still in the head (appended before the retention was set) go with it.
    func enforceRetention(now: Int64) throws -> RewriteOutcome {
        guard manifest.retention > 0 else { return RewriteOutcome() }
        let cutoffDay = Int32(clamping: CivilTime.floorDiv(oldestAccepted(now: now), StoreWriter.dayNanoseconds))
        let due = manifest.dataFiles.contains { $0.day < cutoffDay } || head.buffers.keys.contains { $0.day < cutoffDay }
        guard due else { return RewriteOutcome() }
        return try drop(beforeDay: cutoffDay, device: nil)
    }

    /// Refuses groups holding a row older than the retention allows.
    func checkRetention(_ groups: [(key: DeviceDay, rows: ColumnarRows)], now: Int64) throws {
        let oldest = oldestAccepted(now: now)
        guard oldest > .min else { return }
        for (key, rows) in groups {
            if let first = rows.timestamps.min(), first < oldest {
                throw StoreError.expired(device: key.device, timestamp: first, oldestAccepted: oldest)
            }
        }
    }
}
