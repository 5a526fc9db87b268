import Foundation
import Testing

/// Malformed HTTP against a real `chunkstore serve`, over raw sockets: each gets a 400
/// and its connection closed, nothing of it is stored, and the server goes on serving.
@Suite(.serialized) struct ServeMalformedHTTPTests {
    static let line = "m,device=bad v=1 1767225600\n"
    static let post = "POST /write?db=x&precision=s HTTP/1.1\r\nHost: 127.0.0.1\r\n"

    /// Requests HTTP cannot parse (request line, headers, Content-Length): the parser's
    /// 400, with `Connection: close`.
    static let unparseable: [(name: String, bytes: [UInt8])] = [
        ("garbage request line", Array("HELLO WORLD\r\n\r\n".utf8)),
        ("HTTP/0.9 request line", Array("GET /\r\n\r\n".utf8)),
        ("unknown HTTP version", Array("GET /ping HTTP/7.1\r\nHost: x\r\n\r\n".utf8)),
        ("a TLS hello on plain HTTP", [0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x03]),
        ("Content-Length not a number", Array((post + "Content-Length: abc\r\n\r\n" + line).utf8)),
        ("negative Content-Length", Array((post + "Content-Length: -5\r\n\r\n" + line).utf8)),
        ("two Content-Lengths", Array((post + "Content-Length: 28\r\nContent-Length: 30\r\n\r\n" + line).utf8)),
        ("Content-Length with chunked", Array((post + "Content-Length: 28\r\nTransfer-Encoding: chunked\r\n\r\n1c\r\n" + line + "\r\n0\r\n\r\n").utf8)),
        ("a 100 KB header", Array((post + "X-Big: " + String(repeating: "a", count: 100_000) + "\r\n\r\n").utf8)),
    ]

    /// Bodies that break off or lie once the write has begun: the write's JSON 400,
    /// saying nothing was stored.
    static let badBodies: [(name: String, request: [UInt8], words: String)] = [
        ("bad chunk size", Array((post + "Transfer-Encoding: chunked\r\n\r\n1c\r\n" + line + "\r\nzz\r\nabc\r\n0\r\n\r\n").utf8),
         "invalid character in chunk size"),
        ("chunk longer than its size", Array((post + "Transfer-Encoding: chunked\r\n\r\n5\r\n" + line + "\r\n0\r\n\r\n").utf8),
         "cannot read the request body"),
        ("not gzip", Array((post + "Connection: close\r\nContent-Encoding: gzip\r\nContent-Length: 28\r\n\r\n" + line).utf8), "not valid gzip"),
        // A gzip header and no compressed data after it.
        ("gzip cut short", Array((post + "Connection: close\r\nContent-Encoding: gzip\r\nContent-Length: 10\r\n\r\n").utf8)
            + [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03], "gzip"),
    ]

    @Test func unparseableRequestsAre400AndClosed() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = cli.path("store")
        let server = try ServeProcess(cli: cli, db: db)
        for (name, bytes) in Self.unparseable {
            let connection = try RawConnection(port: server.port)
            connection.send(bytes)
            let answer = connection.readUntilClosed()
            #expect(answer.closed, "\(name): the connection stays open")
            #expect(RawConnection.status(of: answer.text) == 400, "\(name): \(answer.text.prefix(200))")
            #expect(answer.text.lowercased().contains("connection: close"), "\(name)")
        }
        try Self.expectTheServerGoesOn(server, cli: cli, db: db)
    }

    @Test func badBodiesAre400NamingTheProblemAndStoreNothing() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = cli.path("store")
        let server = try ServeProcess(cli: cli, db: db)
        for (name, request, words) in Self.badBodies {
            let connection = try RawConnection(port: server.port)
            connection.send(request)
            let answer = connection.readUntilClosed()
            #expect(RawConnection.status(of: answer.text) == 400, "\(name): \(answer.text.prefix(300))")
            #expect(answer.text.contains("{\"code\":\"invalid\",\"message\":"), "\(name): \(answer.text)")
            #expect(answer.text.contains(words), "\(name): \(answer.text)")
            #expect(answer.text.contains("nothing was stored"), "\(name): \(answer.text)")
        }
        try Self.expectTheServerGoesOn(server, cli: cli, db: db)
    }

    /// The server still answers and stores a good write, and stored nothing of the bad ones.
    static func expectTheServerGoesOn(_ server: ServeProcess, cli: CLI, db: String) throws {
        #expect(try server.request("GET", "/ping").status == 204)
        #expect(try server.request("POST", "/write?db=x&precision=s", body: Array("m,device=good v=1 1767225600".utf8)).status == 204)
        #expect(server.stop() == 0)
        let devices = try cli.run(["devices", "--db", db, "--output", "csv"])
        #expect(devices.stdout.contains("good"))
        #expect(!devices.stdout.contains("bad"))
    }
}
