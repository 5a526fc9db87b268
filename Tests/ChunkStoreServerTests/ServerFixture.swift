import ChunkStore
import CZlib
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import ChunkStoreServer

/// A store in a fresh directory and a server on it, driven through HummingbirdTesting's
/// router client (no socket).
final class ServerFixture: @unchecked Sendable {
    let directory: String
    let store: Store
    let server: ChunkStoreHTTPServer

    init(token: String? = nil, maxBodyBytes: Int = ServeConfiguration.defaultMaxBodyBytes,
         tls: (certificate: String, key: String)? = nil, options: StoreOptions = StoreOptions()) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("chunkstore-serve-\(UUID().uuidString)").path
        store = try Store.open(at: directory, options: options)
        server = try ChunkStoreHTTPServer(store: store, configuration: ServeConfiguration(
            storePath: directory, token: token, maxBodyBytes: maxBodyBytes,
            tlsCertificatePath: tls?.certificate, tlsKeyPath: tls?.key))
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `body` with a client of this server.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: server.buildRouter())
        try await app.test(.router, body)
    }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }
}

/// Compresses `bytes` as one gzip member with the system's zlib.
func gzip(_ text: String) -> [UInt8] {
    let input = Array(text.utf8)
    var stream = z_stream()
    _ = deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                      Int32(MemoryLayout<z_stream>.size))
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 64)
    var mutableInput = input
    let produced: Int = mutableInput.withUnsafeMutableBufferPointer { source in
        output.withUnsafeMutableBufferPointer { target in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            stream.next_out = target.baseAddress
            stream.avail_out = UInt32(target.count)
            _ = deflate(&stream, Z_FINISH)
            return target.count - Int(stream.avail_out)
        }
    }
    return Array(output[0..<produced])
}

/// `name: value` headers.
func headers(_ pairs: [(String, String)]) -> HTTPFields {
    var fields = HTTPFields()
    for (name, value) in pairs { fields[.init(name)!] = value }
    return fields
}
