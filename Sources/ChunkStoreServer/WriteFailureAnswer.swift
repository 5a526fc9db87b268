import ChunkStore
import Hummingbird
import Synchronization

/// The answer to a write the store refused. A full disk is 507 Insufficient Storage,
/// naming the store and the file that could not grow. After a failed log write the store
/// refuses every write until it is reopened; once the disk has filled, those refusals
/// are 507 too and say why, rather than 500.
final class WriteFailureAnswer: Sendable {
    let storePath: String
    /// The out-of-space error that stopped the store, once one has.
    private let diskFull = Mutex<StoreError?>(nil)

    init(storePath: String) {
        self.storePath = storePath
    }

    /// 507 for a full disk (and for the refusals that follow it), else the status that
    /// matches the CLI's exit code (``JSONResponse/failure(_:)``).
    func response(for error: any Error) -> Response {
        guard let error = error as? StoreError else { return JSONResponse.failure(error) }
        if error.isOutOfSpace {
            diskFull.withLock { $0 = error }
            return Self.insufficientStorage(
                "the store \(storePath) is out of disk space (\(error)): this write was not acknowledged; "
                + "every write answered 204 before is stored. Free space, then restart the server if writes keep failing")
        }
        if case .notWritable = error, let cause = diskFull.withLock({ $0 }) {
            return Self.insufficientStorage(
                "the store \(storePath) stopped writing when its disk filled (\(cause)): free space and restart the server; "
                + "every write answered 204 before is stored")
        }
        return JSONResponse.failure(error)
    }

    static func insufficientStorage(_ message: String) -> Response {
        JSONResponse.error(.init(code: 507, reasonPhrase: "Insufficient Storage"), "insufficient storage", message)
    }
}
