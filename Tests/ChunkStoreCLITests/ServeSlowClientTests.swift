import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Slow clients and clients that hang up, against a real `chunkstore serve` over raw
/// sockets: they are cut off after `--read-timeout`, what they half-sent is never stored,
/// and they never hold up other clients' writes. The assertions are about connections
/// closing and rows stored, never about how long anything took.
@Suite(.serialized) struct ServeSlowClientTests {
    static let write = "POST /write?db=x&precision=s HTTP/1.1\r\nHost: 127.0.0.1\r\n"

    static func lines(_ device: String, _ count: Int) -> String {
        (0..<count).map { "m,device=\(device) v=\($0) \(1767225600 + $0)\n" }.joined()
    }

    /// Sends `piece` every 100 ms until the server closes the connection, at most `limit`
    /// times; whether it closed.
    static func trickle(_ connection: RawConnection, _ piece: String, limit: Int = 600) -> Bool {
        for _ in 0..<limit {
            if connection.isClosedByServer || !connection.send(piece) { return true }
            usleep(100_000)
        }
        return connection.isClosedByServer
    }

    @Test func idleConnectionsAndSlowHeadersAreClosed() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let server = try ServeProcess(cli: cli, db: cli.path("store"), extra: ["--read-timeout", "1s"])
        defer { _ = server.stop() }
        let idle = try RawConnection(port: server.port)
        let slowHeaders = try RawConnection(port: server.port)
        #expect(slowHeaders.send(Self.write))
        // A header byte every 100 ms: the headers never complete, so nothing counts as
        // activity and the connection is closed.
        #expect(Self.trickle(slowHeaders, "X"))
        #expect(idle.readUntilClosed().closed)
        // The server goes on.
        #expect(try server.request("GET", "/ping").status == 204)
    }

    @Test func aTrickledBodyIsCutOffAndNothingOfItStored() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = cli.path("store")
        let server = try ServeProcess(cli: cli, db: db, extra: ["--read-timeout", "1s"])
        let slow = try RawConnection(port: server.port)
        let body = Self.lines("slow", 200)
        #expect(slow.send(Self.write + "Content-Length: \(body.utf8.count)\r\n\r\n" + body.prefix(1000)))
        // One body byte every 100 ms keeps the connection busy, but the body is not whole
        // a read timeout after the headers: the connection is closed.
        var rest = Substring(body.dropFirst(1000))
        var closed = false
        for _ in 0..<600 where !closed {
            closed = slow.isClosedByServer || !slow.send(String(rest.prefix(1)))
            rest = rest.dropFirst()
            if !closed { usleep(100_000) }
        }
        #expect(closed)
        #expect(!rest.isEmpty, "the whole body was sent before the server closed the connection")
        #expect(try server.request("POST", "/write?db=x&precision=s", body: Array(Self.lines("whole", 3).utf8)).status == 204)
        #expect(server.stop() == 0)
        let devices = try cli.run(["devices", "--db", db, "--output", "csv"])
        #expect(devices.stdout.contains("whole"))
        #expect(!devices.stdout.contains("slow"))
    }

    @Test func aSlowClientDoesNotHoldUpOtherWrites() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = cli.path("store")
        // The default read timeout (30 s): the slow client is still connected below.
        let server = try ServeProcess(cli: cli, db: db)
        let slow = try RawConnection(port: server.port)
        let body = Self.lines("slow", 100)
        #expect(slow.send(Self.write + "Content-Length: \(body.utf8.count)\r\n\r\n" + body.prefix(body.utf8.count / 2)))
        #expect(try server.request("POST", "/write?db=x&precision=s", body: Array(Self.lines("other", 5).utf8)).status == 204)
        #expect(try server.request("GET", "/api/v1/devices").body.contains("other"))
        #expect(!slow.isClosedByServer)
        slow.close()
        #expect(server.stop() == 0)
        let devices = try cli.run(["devices", "--db", db, "--output", "csv"])
        #expect(devices.stdout.contains("other"))
        #expect(!devices.stdout.contains("slow"))
    }

    @Test func aChunkedBodyCutOffStoresNothing() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = cli.path("store")
        let server = try ServeProcess(cli: cli, db: db)
        do {
            // Two whole chunks of whole lines, then the client hangs up before the last chunk.
            let connection = try RawConnection(port: server.port)
            var request = Self.write + "Transfer-Encoding: chunked\r\n\r\n"
            for chunk in [Self.lines("cut", 5), Self.lines("cut2", 5)] {
                request += String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n"
            }
            #expect(connection.send(request))
        }
        #expect(try server.request("POST", "/write?db=x&precision=s", body: Array(Self.lines("whole", 2).utf8)).status == 204)
        #expect(server.stop() == 0)
        let devices = try cli.run(["devices", "--db", db, "--output", "csv"])
        #expect(devices.stdout.contains("whole"))
        #expect(!devices.stdout.contains("cut"))
    }

    @Test func badReadTimeoutsAreUsageErrors() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        for value in ["soon", "0s", "1mo", "-5s", "500us"] {
            let result = try cli.run(["serve", "--db", cli.path("store"), "--read-timeout", value])
            #expect(result.status == 64, "\(value)")
            #expect(result.stderr.contains("--read-timeout"), "\(result.stderr)")
        }
    }
}
