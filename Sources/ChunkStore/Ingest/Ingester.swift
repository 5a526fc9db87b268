#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An input text format `chunkstore ingest` reads.
package enum IngestFormat: String, CaseIterable, Sendable {
    /// InfluxDB line protocol.
    case lp
    /// CSV with a header row.
    case csv
    /// One JSON object per line.
    case jsonl
}

/// Counts of an ingest so far.
package struct IngestSummary: Sendable, Equatable {
    package var lines = 0
    package var rows = 0
    package var points = 0
    package var rejected = 0
    package var bytes = 0
    /// Bad CSV cells left out of rows stored with their good cells (`keepGoodCells`).
    package var skippedCells = 0
}

/// What happened to one input line.
package enum LineOutcome: Equatable {
    case accepted
    /// The row was stored without these bad cells (CSV with `keepGoodCells`), each
    /// error naming its line and column.
    case partial([IngestError])
    /// Blank or comment.
    case skipped
    /// The line was refused; everything else goes on.
    case rejected(IngestError)
    /// Nothing after this can be read (a CSV header that does not parse).
    case fatal(IngestError)
}

/// Turns input lines into stored rows: parses each line with the format's parser, checks
/// every field's type against what the store (and this ingest) already holds for the
/// device, so a bad line is refused alone instead of failing a whole batch, and appends in
/// columnar batches (the work itself is ``IngestCore``'s). The CLI's `ingest` runs this.
package final class Ingester {
    /// Held through a pointer rather than as a stored `var`: every access to a class's
    /// `var` is checked for exclusivity at run time (about 120 instructions a line, in
    /// the runtime's begin/end-access calls). An ingest is driven by one caller at a
    /// time and nothing the core calls re-enters the ingester, so the check buys nothing.
    private let core: UnsafeMutablePointer<IngestCore>
    package var summary: IngestSummary { core.pointee.summary }

    /// `now` gives the time for lines without a timestamp; it must not call back into
    /// this ingester.
    /// With `keepGoodCells`, a CSV row with bad field cells is stored with its good ones
    /// (reported as ``LineOutcome/partial(_:)``) instead of being rejected.
    package init(store: Store, format: IngestFormat, precision: TimestampPrecision = .auto, deviceTag: String = "device",
                 keepGoodCells: Bool = false, batchRows: Int = 16_384, now: @escaping () -> Int64) {
        core = .allocate(capacity: 1)
        core.initialize(to: IngestCore(store: store, format: format, precision: precision, deviceTag: deviceTag,
                                       keepGoodCells: keepGoodCells, batchRows: batchRows, now: now))
    }

    deinit {
        core.deinitialize(count: 1)
        core.deallocate()
    }

    /// Parses, checks and batches one line. Store failures are thrown.
    package func consume(_ line: UnsafeRawBufferPointer, lineNumber: Int) throws(StoreError) -> LineOutcome {
        try core.pointee.consume(line, lineNumber: lineNumber)
    }

    /// Appends what is batched.
    package func flushBatch() throws(StoreError) {
        try core.pointee.flushBatch()
    }

    /// Ingests every line of a file descriptor; `onLine` sees each rejection and returns
    /// false to stop (strict mode). What was accepted before a stop is appended.
    package func ingest(fd: Int32, onRejected: (IngestError) -> Bool, onProgress: ((IngestSummary) -> Void)? = nil) throws -> IngestSummary {
        var reader = LineReader(fd: fd)
        var sinceProgress = 0
        while true {
            let next: (UnsafeRawBufferPointer, Int)?
            do {
                next = try reader.next()
            } catch {
                core.pointee.countUnreadable()
                if !onRejected(error) { break }
                continue
            }
            guard let (line, number) = next else { break }
            guard try consumeOrStop(line, number, onRejected) else { return summary }
            sinceProgress += 1
            if sinceProgress >= 100_000, let onProgress {
                sinceProgress = 0
                onProgress(summary)
            }
        }
        try flushBatch()
        return summary
    }

    /// Ingests lines held in memory (the benchmark's path: no I/O in the way).
    package func ingest(buffer: UnsafeRawBufferPointer, onRejected: (IngestError) -> Bool) throws -> IngestSummary {
        guard let base = buffer.baseAddress else {
            try flushBatch()
            return summary
        }
        var start = 0
        var number = 0
        while start < buffer.count {
            // memchr scans many bytes per step; a byte loop here cost about 4
            // instructions per byte of input.
            var end = buffer.count
            if let hit = memchr(base + start, 0x0A, buffer.count - start) { end = base.distance(to: hit) }
            var lineEnd = end
            if lineEnd > start && buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            number += 1
            guard try consumeOrStop(UnsafeRawBufferPointer(rebasing: buffer[start..<lineEnd]), number, onRejected) else {
                return summary
            }
            start = end + 1
        }
        try flushBatch()
        return summary
    }

    /// Consumes one line; false when the ingest must stop there (a rejection the caller
    /// does not accept, or a fatal one), after appending what was accepted before it.
    private func consumeOrStop(_ line: UnsafeRawBufferPointer, _ number: Int,
                               _ onRejected: (IngestError) -> Bool) throws -> Bool {
        switch try consume(line, lineNumber: number) {
        case .accepted, .skipped:
            return true
        case .partial(let cells):
            if cells.allSatisfy({ onRejected($0) }) { return true }
        case .rejected(let error):
            if onRejected(error) { return true }
        case .fatal(let error):
            _ = onRejected(error)
        }
        try flushBatch()
        return false
    }
}
