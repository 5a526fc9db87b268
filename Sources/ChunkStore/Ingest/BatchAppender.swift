import Dispatch

/// Appends an ingest's full batches on a second thread while the ingest parses the next
/// one, so that parsing (one core) overlaps the store's work on a batch (building its
/// groups, writing the WAL, adding to the head: the other core).
///
/// At most one batch is in flight, and it is appended before the next is handed over, so
/// batches reach the store in input order (which the duplicate policy depends on) and an
/// ingest holds at most two batches in memory. The owner calls ``handOff(_:)`` for a full
/// batch and ``settle()`` before anything that must see every earlier batch stored: a
/// flush for a slow stream, the end of the input, a stop.
///
/// Not thread-safe itself: one owner (an ``Ingester``) drives it; `working` belongs to
/// the queue while a batch is in flight and to the owner otherwise, the semaphore being
/// the hand-over point in both directions.
final class BatchAppender: @unchecked Sendable {
    private let store: Store
    /// Made on the first hand-off: a short ingest (an HTTP write) never needs a thread.
    private var queue: DispatchQueue?
    private let appended = DispatchSemaphore(value: 0)
    /// The batch being appended while `inFlight`; afterwards the empty batch to give back.
    private var working = RecordBatch()
    private var failure: StoreError?
    private var inFlight = false

    init(store: Store) {
        self.store = store
    }

    /// Starts appending `batch` on the appender's thread and gives back an empty batch
    /// (with its storage kept) to fill next. Waits for the batch before, and throws its
    /// failure: then `batch` is left as it was and nothing more is appended.
    func handOff(_ batch: inout RecordBatch) throws(StoreError) {
        try settle()
        swap(&batch, &working)
        inFlight = true
        let queue = self.queue ?? DispatchQueue(label: "chunkstore.ingest.appender")
        self.queue = queue
        queue.async { [self] in
            do throws(StoreError) {
                try store.append(&working)
            } catch {
                failure = error
            }
            working.removeAll()
            appended.signal()
        }
    }

    /// Waits until the batch in flight, if any, is appended; throws its failure.
    func settle() throws(StoreError) {
        guard inFlight else { return }
        appended.wait()
        inFlight = false
        if let failure {
            self.failure = nil
            throw failure
        }
    }
}
