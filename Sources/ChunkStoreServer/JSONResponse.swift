import ChunkStore
import ChunkStoreCLICore
import Hummingbird

/// JSON answers, errors in InfluxDB's shape: `{"code":"invalid","message":"..."}`.
enum JSONResponse {
    /// `text` (already JSON) with `status`.
    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// `bytes` (already JSON, UTF-8) with `status`.
    static func json(utf8 bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// An error: `code` is InfluxDB's word for the kind of failure, `message` says what
    /// and where, worded as the CLI words it.
    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        json("{\"code\":\(jsonString(code)),\"message\":\(jsonString(message))}\n", status: status)
    }

    /// 400 with `message`.
    static func invalid(_ message: String) -> Response {
        error(.badRequest, "invalid", message)
    }

    /// The answer to an error thrown by the CLI's shared code or by the store, with the
    /// status that matches the CLI's exit code.
    static func failure(_ error: any Error) -> Response {
        switch error {
        case let error as CLIError:
            return forCode(error.code, error.message, outOfSpace: false)
        case let error as StoreError:
            return forCode(error.sysexit, "\(error)", outOfSpace: error.isOutOfSpace)
        default:
            return self.error(.internalServerError, "internal error", "\(error)")
        }
    }

    private static func forCode(_ code: Sysexit, _ message: String, outOfSpace: Bool) -> Response {
        if outOfSpace { return error(.init(code: 507, reasonPhrase: "Insufficient Storage"), "insufficient storage", message) }
        switch code {
        case .usage: return invalid(message)
        case .noInput: return error(.notFound, "not found", message)
        case .locked: return error(.serviceUnavailable, "unavailable", message)
        case .ok, .dataError, .cannotCreate, .ioError: return error(.internalServerError, "internal error", message)
        }
    }
}
