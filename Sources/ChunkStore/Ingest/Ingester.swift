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

/// What an ingest reports to its caller as it reads: each refused line, each bad cell
/// left out of a stored row, and progress now and then.
package enum IngestEvent {
    /// A line was refused; everything else goes on.
    case rejected(IngestError)
    /// A row was stored without this bad cell (CSV with `keepGoodCells`).
    case badCell(IngestError)
    /// Counts so far, about every 16,384 lines.
    case progress(IngestSummary)
}

/// Turns input lines into stored rows: parses each line with the format's parser, checks
/// every field's type against what the store (and this ingest) already holds for the
/// device, so a bad line is refused alone instead of failing a whole batch, and appends in
/// columnar batches, each full one on a second thread while the next is parsed
/// (``BatchAppender``). One reading loop (``IngestLoop``) serves every format through its
/// ``RecordParser``. The CLI's `ingest` and the benchmark run this.
package final class Ingester {
    /// The core, specialised for the format's parser. Each method below picks the case
    /// once per call and then runs generic code on a concrete parser type, which the
    /// compiler specialises: the per-line work has no dynamic dispatch.
    private enum Core {
        case lp(IngestLoop<LineProtocolParser>)
        case jsonl(IngestLoop<JSONLinesParser>)
        case csv(IngestLoop<CSVParser>)
    }

    private let core: Core

    package var summary: IngestSummary {
        switch core {
        case .lp(let loop): loop.summary
        case .jsonl(let loop): loop.summary
        case .csv(let loop): loop.summary
        }
    }

    /// `now` gives the time for lines without a timestamp; it must not call back into
    /// this ingester.
    /// With `keepGoodCells`, a CSV row with bad field cells is stored with its good ones
    /// (reported as ``LineOutcome/partial(_:)``) instead of being rejected.
    package init(store: Store, format: IngestFormat, precision: TimestampPrecision = .auto, deviceTag: String = "device",
                 keepGoodCells: Bool = false, batchRows: Int = 16_384, now: @escaping () -> Int64) {
        switch format {
        case .lp:
            core = .lp(IngestLoop(IngestCore(store: store, parser: LineProtocolParser(deviceTag: deviceTag, precision: precision),
                                             batchRows: batchRows, now: now)))
        case .jsonl:
            core = .jsonl(IngestLoop(IngestCore(store: store, parser: JSONLinesParser(precision: precision),
                                                batchRows: batchRows, now: now)))
        case .csv:
            var csv = CSVParser(precision: precision)
            csv.keepGoodCells = keepGoodCells
            core = .csv(IngestLoop(IngestCore(store: store, parser: csv, batchRows: batchRows, now: now)))
        }
    }

    /// Ingests every line of a file descriptor. `onEvent` sees each refused line and bad
    /// cell (and progress); returning false stops the ingest there (strict mode). Whenever
    /// nothing more is ready to read, what is batched is appended, so a slow stream (a
    /// sensor feed, `tail -f`) has its rows in the log, with the durability the store's
    /// sync policy promises, without waiting for a full batch. What was accepted before a
    /// stop is appended. Throws a store failure, a failed read, or a fatal line (a CSV
    /// header that does not parse: ``IngestError/isFatal``), after appending what came before.
    package func ingest(fd: Int32, onEvent: (IngestEvent) -> Bool) throws -> IngestSummary {
        switch core {
        case .lp(let loop): try loop.ingest(fd: fd, onEvent: onEvent)
        case .jsonl(let loop): try loop.ingest(fd: fd, onEvent: onEvent)
        case .csv(let loop): try loop.ingest(fd: fd, onEvent: onEvent)
        }
    }

    /// Ingests lines held in memory (the benchmark's path: no I/O in the way).
    package func ingest(buffer: UnsafeRawBufferPointer, onRejected: (IngestError) -> Bool) throws -> IngestSummary {
        switch core {
        case .lp(let loop): try loop.ingest(buffer: buffer, onRejected: onRejected)
        case .jsonl(let loop): try loop.ingest(buffer: buffer, onRejected: onRejected)
        case .csv(let loop): try loop.ingest(buffer: buffer, onRejected: onRejected)
        }
    }
}

/// The one reading loop, for any parser.
private final class IngestLoop<Parser: RecordParser> {
    /// Held through a pointer rather than as a stored `var`: every access to a class's
    /// `var` is checked for exclusivity at run time (about 120 instructions a line, in
    /// the runtime's begin/end-access calls). An ingest is driven by one caller at a
    /// time and nothing the core calls re-enters the ingester, so the check buys nothing.
    private let core: UnsafeMutablePointer<IngestCore<Parser>>

    init(_ initial: IngestCore<Parser>) {
        core = .allocate(capacity: 1)
        core.initialize(to: initial)
    }

    deinit {
        core.deinitialize(count: 1)
        core.deallocate()
    }

    var summary: IngestSummary { core.pointee.summary }

    func consume(_ line: UnsafeRawBufferPointer, lineNumber: Int) throws(StoreError) -> LineOutcome {
        try core.pointee.consume(line, lineNumber: lineNumber)
    }

    func flushBatch() throws(StoreError) {
        try core.pointee.flushBatch()
    }

    func ingest(fd: Int32, onEvent: (IngestEvent) -> Bool) throws -> IngestSummary {
        try settlingOnError { try readAll(fd: fd, onEvent: onEvent) }
    }

    func ingest(buffer: UnsafeRawBufferPointer, onRejected: (IngestError) -> Bool) throws -> IngestSummary {
        try settlingOnError { try readAll(buffer: buffer, onRejected: onRejected) }
    }

    /// Runs one ingest; when it ends by an error, first waits for the batch the appender
    /// still holds, so that no append outlives the call. (Every other way out flushes.)
    private func settlingOnError(_ body: () throws -> IngestSummary) throws -> IngestSummary {
        do {
            return try body()
        } catch {
            core.pointee.abandonInFlight()
            throw error
        }
    }

    private func readAll(fd: Int32, onEvent: (IngestEvent) -> Bool) throws -> IngestSummary {
        var reader = LineReader(fd: fd)
        var sinceProgress = 0
        var pending = 0
        while true {
            // Lines already buffered need no wait, and no poll(2) per line.
            if pending > 0, !reader.hasBufferedLine(), !Self.inputReady(fd) {
                try flushBatch()
                pending = 0
            }
            let next: (UnsafeRawBufferPointer, Int)?
            do throws(IngestError) {
                next = try reader.next()
            } catch where error.reason.hasPrefix("read failed") {
                try flushBatch()
                throw error
            } catch {
                core.pointee.countUnreadable()
                if !onEvent(.rejected(error)) { break }
                continue
            }
            guard let (line, number) = next else { break }
            switch try consume(line, lineNumber: number) {
            case .accepted:
                pending += 1
            case .partial(let cells):
                pending += 1
                for cell in cells where !onEvent(.badCell(cell)) {
                    try flushBatch()
                    return summary
                }
            case .skipped:
                break
            case .rejected(let error):
                if !onEvent(.rejected(error)) {
                    try flushBatch()
                    return summary
                }
            case .fatal(let error):
                try flushBatch()
                throw error
            }
            sinceProgress += 1
            if sinceProgress >= 16_384 {
                sinceProgress = 0
                _ = onEvent(.progress(summary))
            }
        }
        try flushBatch()
        return summary
    }

    private func readAll(buffer: UnsafeRawBufferPointer, onRejected: (IngestError) -> Bool) throws -> IngestSummary {
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

    /// Whether reading `fd` would return at once (data, end of input or an error).
    private static func inputReady(_ fd: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) != 0
    }
}
