import ChunkStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ChunkStoreServer

/// `--tls-cert` and `--tls-key`: HTTPS with a certificate made for the test by openssl.
@Suite struct TLSTests {
    /// A self-signed certificate and its key, as PEM files in a fresh directory.
    static func makeCertificate() throws -> (directory: String, certificate: String, key: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chunkstore-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                             "-keyout", directory + "/key.pem", "-out", directory + "/cert.pem"]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        #expect(openssl.terminationStatus == 0, "openssl could not make a certificate (scripts/install-deps.sh installs it)")
        return (directory, directory + "/cert.pem", directory + "/key.pem")
    }

    @Test func httpsWritesAndQueries() async throws {
        let files = try Self.makeCertificate()
        defer { try? FileManager.default.removeItem(atPath: files.directory) }
        let fixture = try ServerFixture(token: "s3cret", tls: (files.certificate, files.key))
        let app = Application(router: fixture.server.buildRouter(), server: try fixture.server.serverBuilder())
        try await app.test(.ahc(.https)) { client in
            try await client.execute(uri: "/ping", method: .get) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/v2/write?bucket=b&precision=s", method: .post,
                                     headers: headers([("Authorization", "Token s3cret")]),
                                     body: ByteBuffer(string: "m,device=tls v=42 1767225600")) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/v1/query?device=tls&epoch=s", method: .get,
                                     headers: headers([("Authorization", "Bearer s3cret")])) { response in
                #expect(response.text == "[\n{\"device\":\"tls\",\"time\":1767225600,\"v\":42.0}\n]\n")
            }
        }
    }

    @Test func unreadableFilesAreRefusedBeforeListening() throws {
        let files = try Self.makeCertificate()
        defer { try? FileManager.default.removeItem(atPath: files.directory) }
        let fixture = try ServerFixture()
        let missing = files.directory + "/missing.pem"
        for (certificate, key, words) in [(missing, files.key, "certificate \(missing)"), (files.certificate, missing, "key \(missing)"),
                                          (files.key, files.key, "certificate \(files.key)")] {
            let configuration = ServeConfiguration(storePath: fixture.directory, tlsCertificatePath: certificate, tlsKeyPath: key)
            #expect(throws: ServeSetupError.self) { try ChunkStoreHTTPServer(store: fixture.store, configuration: configuration) }
            do {
                _ = try ChunkStoreHTTPServer(store: fixture.store, configuration: configuration)
            } catch {
                #expect(error.description.contains(words), "\(error)")
            }
        }
        let half = ServeConfiguration(storePath: fixture.directory, tlsCertificatePath: files.certificate)
        #expect(throws: ServeSetupError.self) { try ChunkStoreHTTPServer(store: fixture.store, configuration: half) }
    }
}
