import ChunkStore
import Dispatch

/// Runs the store's blocking calls on Dispatch threads, never on Swift concurrency's
/// cooperative pool (a blocked cooperative thread stalls every task behind it). Writes go
/// through one serial queue, so requests append in the order they finished reading their
/// bodies; reads run concurrently with each other and with the writer.
final class StoreExecutor: Sendable {
    let store: Store
    private let writeQueue = DispatchQueue(label: "chunkstore.serve.write")
    private let readQueue = DispatchQueue(label: "chunkstore.serve.read", attributes: .concurrent)

    init(store: Store) {
        self.store = store
    }

    /// Runs `body` on the write queue.
    func write<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        try await run(on: writeQueue, body)
    }

    /// Runs `body` on the read queue.
    func read<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        try await run(on: readQueue, body)
    }

    private func run<T: Sendable>(on queue: DispatchQueue, _ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        let store = self.store
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(store) })
            }
        }
    }
}
