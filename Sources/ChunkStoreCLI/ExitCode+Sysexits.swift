import ArgumentParser
import ChunkStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exit codes of `chunkstore`, from BSD's sysexits.h, so that scripts can tell
/// "you called me wrong" from "your data is bad" from "try again later".
enum Sysexit: Int32 {
    case ok = 0
    /// EX_USAGE: a bad option, a missing or malformed argument.
    case usage = 64
    /// EX_DATAERR: rejected input lines, corrupt store files.
    case dataError = 65
    /// EX_NOINPUT: no store at the path, the input file does not exist, or a queried
    /// device or field is not in the store.
    case noInput = 66
    /// EX_CANTCREAT: the store could not be created.
    case cannotCreate = 73
    /// EX_IOERR: a read or write failed.
    case ioError = 74
    /// EX_TEMPFAIL: another writer holds the store's lock; retrying later may work.
    case locked = 75

    /// The table shown in `chunkstore --help` and the README.
    static let table = """
        EXIT CODES
          0   success
          64  usage error (bad option or argument)
          65  bad data (rejected input lines, corrupt store)
          66  no such store, input file, device or field
          73  cannot create the store
          74  I/O error
          75  store locked by another writer
        """
}

/// A failure the CLI reports as `chunkstore: message` and exits with `code`.
struct CLIError: Error, CustomStringConvertible {
    var code: Sysexit
    var message: String

    init(_ code: Sysexit, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { message }
}

extension StoreError {
    /// The sysexits code for this error.
    var sysexit: Sysexit {
        switch self {
        case .storeNotFound: .noInput
        case .cannotCreate: .cannotCreate
        case .locked: .locked
        case .io, .notWritable: .ioError
        case .corrupt, .unsupportedVersion, .invalidDevice, .invalidField, .typeMismatch, .expired: .dataError
        case .invalidArgument: .usage
        }
    }
}

/// Writes `text` and a newline to standard error, unbuffered.
func printError(_ text: String) {
    StandardStream.error.write(text + "\n")
    StandardStream.error.flush()
}

/// Ends the process with `code` (the C library's `exit`, which ArgumentParser's
/// `exit(withError:)` hides inside command types).
func exitProcess(_ code: Int32) -> Never {
    exit(code)
}
