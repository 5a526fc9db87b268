/// What one rewrite of a store's data files changes: compaction merges a device-day's
/// chunks, a drop removes days or one device's chunks. Everything in one plan is committed
/// by a single manifest replacement.
struct RewritePlan: Sendable {
    /// What happens to the chunks of one day whose file is rewritten.
    struct Day: Sendable {
        /// Devices whose chunks of the day are merged into as few as the row limit allows.
        var merge: Set<String> = []
        /// Devices whose chunks of the day are left out.
        var remove: Set<String> = []
    }

    /// Days whose data file is rewritten under a new number.
    var days: [Int32: Day] = [:]
    /// Days whose data file is dropped whole.
    var droppedDays: Set<Int32> = []

    var isEmpty: Bool { days.isEmpty && droppedDays.isEmpty }
}

/// What a rewrite did, for ``CompactionReport`` and ``DropReport``.
struct RewriteOutcome: Sendable {
    var deviceDaysMerged = 0
    var chunksBefore = 0
    var chunksAfter = 0
    /// Chunks and their rows left out (dropped), counted before duplicates resolve.
    var chunksRemoved = 0
    var rowsRemoved = 0
    var daysDropped: [Int32] = []
    /// Committed bytes of the data files replaced or dropped, and of their replacements.
    var bytesBefore = 0
    var bytesAfter = 0
}
