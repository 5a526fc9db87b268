#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything that can go wrong in a store, with the file, offset, device or value at fault.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No store at this path (and creation was not asked for).
    case storeNotFound(path: String)
    /// The store (or one of its files) could not be created.
    case cannotCreate(path: String, reason: String)
    /// Another writer, in this process or another, holds the store's lock.
    case locked(path: String)
    /// A system call failed: `reason` is the errno text (e.g. "No space left on device") and
    /// `errno` its number (0 when the failure did not come from the system). See
    /// ``isOutOfSpace`` and ``systemError``.
    case io(path: String, operation: String, reason: String, errno: Int32)
    /// A file's bytes are not what the format allows.
    case corrupt(path: String, offset: Int, reason: String)
    /// A file was written by a format version this build does not read.
    case unsupportedVersion(path: String, found: Int, supported: Int)
    /// The device id breaks the rules (1 to 255 UTF-8 bytes, no control characters).
    case invalidDevice(device: String, reason: String)
    /// The field name breaks the rules, or the field is unknown to a query.
    case invalidField(device: String, field: String, reason: String)
    /// A value of another type for a field that already has a type for this device.
    case typeMismatch(device: String, field: String, existing: FieldType, given: FieldType)
    /// An argument is out of range (a batch whose columns disagree in length, a bad bucket width, ...).
    case invalidArgument(String)
    /// The store was opened read-only, or is closed.
    case notWritable(String)
    /// A row older than the store's retention period allows (see ``Store/setRetention(_:)``):
    /// rows with a timestamp before `oldestAccepted` (now minus the retention) are refused.
    case expired(device: String, timestamp: Int64, oldestAccepted: Int64)

    /// A one-line message naming the file, offset, device or value at fault.
    public var description: String {
        switch self {
        case .storeNotFound(let path): "no store at \(path)"
        case .cannotCreate(let path, let reason): "cannot create \(path): \(reason)"
        case .locked(let path): "store \(path) is locked by another writer"
        case .io(let path, let op, let reason, _): "\(op) \(path): \(reason)"
        case .corrupt(let path, let offset, let reason): "\(path): corrupt at offset \(offset): \(reason)"
        case .unsupportedVersion(let path, let found, let supported):
            "\(path): format version \(found) is not supported (this build reads up to \(supported))"
        case .invalidDevice(let device, let reason): "device \"\(device)\": \(reason)"
        case .invalidField(let device, let field, let reason): "device \"\(device)\" field \"\(field)\": \(reason)"
        case .typeMismatch(let device, let field, let existing, let given):
            "device \"\(device)\" field \"\(field)\" has type \(existing), got a value of type \(given)"
        case .invalidArgument(let text): text
        case .notWritable(let text): text
        case .expired(let device, let timestamp, let oldest):
            "device \"\(device)\": row at \(TimeParsing.formatRFC3339(timestamp)) is older than the store's retention allows (rows before \(TimeParsing.formatRFC3339(oldest)) are refused)"
        }
    }
}

/// A decoding failure inside a byte buffer; the storage layer adds the file and base offset.
struct FormatError: Error, Equatable {
    /// Offset within the buffer being decoded.
    var offset: Int
    var reason: String

    init(offset: Int, _ reason: String) {
        self.offset = offset
        self.reason = reason
    }

    func inFile(_ path: String, at base: Int) -> StoreError {
        .corrupt(path: path, offset: base + offset, reason: reason)
    }
}

extension StoreError {
    /// Runs `body`, turning any error that is not already a ``StoreError`` into one,
    /// so that public entry points can promise `throws(StoreError)` while internal
    /// code throws freely.
    static func wrapping<T>(_ context: String, _ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as FormatError {
            throw .corrupt(path: context, offset: error.offset, reason: error.reason)
        } catch {
            throw .invalidArgument("\(context): \(error)")
        }
    }
}

extension StoreError {
    /// The errno of a failed system call, if this error is one.
    public var systemError: Int32? {
        if case .io(_, _, _, let code) = self, code != 0 { return code }
        return nil
    }

    /// Whether the file system ran out of space (or of the user's quota): the error to
    /// free space and retry after. Appends that failed so are not stored; earlier ones are
    /// as durable as the sync policy says.
    public var isOutOfSpace: Bool {
        systemError == ENOSPC || systemError == EDQUOT
    }
}
