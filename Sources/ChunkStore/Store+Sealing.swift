import Synchronization

/// How a writer's commits run beside its appends.
///
/// Two locks: the store's lock (`state`) guards what appends and queries share and is
/// only ever held briefly; the commit lock (`committing`) is held by whatever changes the
/// manifest (a seal, a compaction, a drop, a flush, close), one at a time, for as long as
/// its I/O takes. It is always taken first. A commit encodes, writes and fsyncs without the
/// store's lock and takes it only to install its result (StoreWriter+Commit.swift), so
/// appends and queries go on while chunks are sealed and compacted.
extension Store {
    /// Acts on what an append left due: queues a background seal, or (past the memory
    /// bound) seals everything before the append returns.
    func seal(_ need: StoreWriter.SealNeed) throws(StoreError) {
        switch need {
        case .none:
            return
        case .due:
            requestBackgroundSeal()
        case .everything:
            try withCommitter { writer, locked in
                // A seal that finished while this one waited may have made room.
                var still = false
                try locked { still = writer.sealNeed == .everything }
                if still { try writer.seal(all: true, locked: locked) }
            }
        }
    }

    /// Queues one seal of the due device-days on the sealer's queue, unless one is queued
    /// already. Its failure (a full disk) leaves the rows in the head and the WAL: the
    /// next due append queues another attempt, and the memory bound or ``flush()`` reports
    /// the error to a caller.
    private func requestBackgroundSeal() {
        guard !sealRequested.exchange(true, ordering: .acquiringAndReleasing) else { return }
        sealer.async { [self] in
            sealRequested.store(false, ordering: .releasing)
            try? withCommitter { writer, locked in try writer.seal(all: false, locked: locked) }
        }
    }

    /// Runs `body` holding the commit lock, with the writer and a way to take the store's
    /// lock for the short phases that touch shared state.
    func withCommitter<T>(_ body: (StoreWriter, UnderStoreLock) throws -> T) throws(StoreError) -> T {
        try StoreError.wrapping(path) {
            try committing.withLock { _ in
                let writer = try withWriter { $0 }
                return try body(writer) { phase in try self.withWriter { _ in try phase() } }
            }
        }
    }

    /// Runs `body` holding both locks: for operations short or rare enough (drops,
    /// retention) to keep appends out meanwhile.
    func withCommittedWriter<T>(_ body: (StoreWriter) throws -> T) throws(StoreError) -> T {
        try withCommitter { _, _ in try withWriter(body) }
    }
}
