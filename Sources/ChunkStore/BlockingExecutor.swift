import Dispatch

/// Runs a store's blocking work (file I/O, fsyncs, waiting for the store's lock) on
/// Dispatch threads of its own, never on Swift concurrency's cooperative pool, and hands
/// the result back to the awaiting task through a continuation.
///
/// The cooperative pool has one thread per core; a call that blocked one of them would
/// stall every task queued behind it, so the `async` overloads of ``Store`` (see
/// `Store+Async.swift`) all go through here. Each store has one executor with two lanes:
/// - **writes** (appends, flush, close, compaction, drops, retention): one serial queue,
///   so they run in the order they were submitted, one at a time, as the store's lock
///   would serialise them anyway;
/// - **reads** (queries, listings, verify): a concurrent queue, so queries run in
///   parallel with each other and with the writer, as they do from threads.
final class BlockingExecutor: Sendable {
    private let writes: DispatchQueue
    private let reads: DispatchQueue

    /// Creates the two queues, labelled after `label` (the store's path) for debuggers.
    init(label: String) {
        writes = DispatchQueue(label: "chunkstore.writes " + label)
        reads = DispatchQueue(label: "chunkstore.reads " + label, attributes: .concurrent)
    }

    /// Runs `body` on the serial write lane and returns what it returns.
    func write<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        try await Self.run(on: writes, body)
    }

    /// Runs `body` on the concurrent read lane and returns what it returns.
    func read<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        try await Self.run(on: reads, body)
    }

    /// Runs `body` on `queue`; the awaiting task is suspended meanwhile, its thread free
    /// for other tasks. `body` runs to the end even if the task is cancelled: a store call
    /// cannot be interrupted halfway, and a write that ran must be reported.
    static func run<T: Sendable, E: Error>(on queue: DispatchQueue, _ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(E) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// A queue for work that has no store yet (opening one).
    static let opening = DispatchQueue(label: "chunkstore.open", attributes: .concurrent)
}
