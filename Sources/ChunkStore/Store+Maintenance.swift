/// What ``Store/compact()`` did.
public struct CompactionReport: Sendable, Hashable {
    /// Device-days whose chunks were merged.
    public var deviceDaysCompacted = 0
    /// Chunks of the rewritten days before and after.
    public var chunksBefore = 0
    public var chunksAfter = 0
    /// Data file bytes of the rewritten days before and after.
    public var bytesBefore = 0
    public var bytesAfter = 0

    /// An empty report.
    public init() {}
}

/// What ``Store/drop(before:device:)`` or enforcing a retention period removed.
public struct DropReport: Sendable, Hashable {
    /// The UTC days (`YYYY-MM-DD`) whose data file was deleted whole.
    public var daysDropped: [String] = []
    /// Chunks removed, and the rows they held (counted before duplicates resolve).
    public var chunksDropped = 0
    public var rowsDropped = 0
    /// Data file bytes given back.
    public var bytesReclaimed = 0

    /// An empty report.
    public init() {}
}

extension Store {
    /// Rewrites every fragmented device-day (more chunks than its rows need at the chunk
    /// row limit, or chunks overlapping in time after late rows) into as few chunks as the
    /// limit allows, duplicates resolved by the store's policy, and reclaims the space of
    /// what it replaced. Queries answer exactly as before.
    ///
    /// Atomic: a crash at any instant leaves either the old chunks or the new ones in force.
    /// Readers in other processes keep answering during and after (Formats/SPEC.md §8,
    /// "Compaction and drops"). A running writer also compacts on its own; see
    /// ``StoreOptions/compactionTrigger``.
    public func compact() throws(StoreError) -> CompactionReport {
        try withCommitter { writer, locked in
            let outcome = try writer.compact(locked: locked)
            var report = CompactionReport()
            report.deviceDaysCompacted = outcome.deviceDaysMerged
            report.chunksBefore = outcome.chunksBefore
            report.chunksAfter = outcome.chunksAfter
            report.bytesBefore = outcome.bytesBefore
            report.bytesAfter = outcome.bytesAfter
            return report
        }
    }

    /// Drops the whole UTC days that end at or before `timestamp` (nanoseconds since the
    /// epoch), or with `device` only that device's chunks of those days, and reclaims their
    /// space. Rows still buffered are sealed first, so they go too. A day that `timestamp`
    /// falls inside is kept whole.
    public func drop(before timestamp: Int64, device: String? = nil) throws(StoreError) -> DropReport {
        let cutoffDay = Int32(clamping: CivilTime.floorDiv(timestamp, StoreWriter.dayNanoseconds))
        return Store.dropReport(try withCommittedWriter { try $0.drop(beforeDay: cutoffDay, device: device) })
    }

    /// The retention period recorded in the store, if any.
    public var retention: Duration? {
        let nanoseconds: Int64 = state.withLock {
            switch $0 {
            case .writer(let w): w.manifest.retention
            case .reader(let r): r.manifest.retention
            case .closed: 0
            }
        }
        return nanoseconds > 0 ? .nanoseconds(nanoseconds) : nil
    }

    /// Records a retention period in the store (nil: keep everything), and enforces it at
    /// once. Every writer then enforces it when it opens and at least hourly: whole UTC days
    /// that ended at or before now minus `period` are dropped, and an append of a row older
    /// than now minus `period` is refused with ``StoreError/expired(device:timestamp:oldestAccepted:)``.
    public func setRetention(_ period: Duration?) throws(StoreError) -> DropReport {
        let nanoseconds: Int64
        if let period {
            let (seconds, attoseconds) = period.components
            guard seconds > 0 || (seconds == 0 && attoseconds >= 1_000_000_000) else {
                throw StoreError.invalidArgument("a retention period must be at least one nanosecond; use nil to turn retention off")
            }
            guard seconds < Int64.max / 1_000_000_000 else { throw StoreError.invalidArgument("retention period \(period) is too long") }
            nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        } else {
            nanoseconds = 0
        }
        return Store.dropReport(try withCommittedWriter { try $0.setRetention(nanoseconds, now: WallClock.nanoseconds()) })
    }

    /// Enforces the retention period now (the hourly timer's job).
    func enforceRetention() {
        _ = try? withCommittedWriter { try $0.enforceRetention(now: WallClock.nanoseconds()) }
    }

    private static func dropReport(_ outcome: RewriteOutcome) -> DropReport {
        var report = DropReport()
        report.daysDropped = outcome.daysDropped.map(StoreLayout.dayName)
        report.chunksDropped = outcome.chunksRemoved
        report.rowsDropped = outcome.rowsRemoved
        report.bytesReclaimed = max(0, outcome.bytesBefore - outcome.bytesAfter)
        return report
    }
}
