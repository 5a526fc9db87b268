import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `chunkstore serve` as a real process: its answers match the CLI's, signals stop it
/// cleanly with every acknowledged row stored, and it holds the store's writer lock.
@Suite(.serialized) struct ServeProcessTests {
    static let lines = """
        m,device=meter-1 power_w=1.5,energy_kwh=10i 1767225600
        m,device=meter-1 power_w=2.5,energy_kwh=11i 1767229200
        m,device=meter-2 power_w=100,on=true 1767225600
        m,device=meter-2 power_w=200,on=false 1767232800
        """

    @Test(arguments: [SIGTERM, SIGINT])
    func signalDrainsFlushesAndExitsZero(signal: Int32) throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = cli.path("store")
        let server = try ServeProcess(cli: cli, db: db, extra: ["--sync", "none"])
        let write = try server.request("POST", "/write?db=x&precision=s", body: Array(Self.lines.utf8))
        #expect(write.status == 204)
        #expect(server.stop(signal: signal) == 0)
        #expect(server.stderr.contains("stopped; the store is flushed and closed"))
        // Closed: a new writer can take the lock, and every acknowledged row is there.
        let query = try cli.run(["query", "--db", db, "--all-devices", "--field", "power_w", "--output", "csv", "--epoch", "s"])
        #expect(query.status == 0)
        #expect(query.stdout == "device,time,power_w\nmeter-1,1767225600,1.5\nmeter-1,1767229200,2.5\nmeter-2,1767225600,100.0\nmeter-2,1767232800,200.0\n")
        #expect(try cli.run(["ingest", "--db", db], input: "m,device=meter-3 v=1 1767225600").status == 0)
    }

    @Test func queryEndpointPrintsWhatTheCLIPrints() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = cli.path("store")
        let server = try ServeProcess(cli: cli, db: db)
        defer { _ = server.stop() }
        #expect(try server.request("POST", "/api/v2/write?bucket=b&precision=s", body: Array(Self.lines.utf8)).status == 204)
        let cases: [(query: String, options: [String])] = [
            ("device=meter-1", ["--device", "meter-1"]),
            ("device=meter-2&device=meter-1&field=power_w&epoch=ms", ["--device", "meter-2", "--device", "meter-1", "--field", "power_w", "--epoch", "ms"]),
            ("all=true&from=2026-01-01T00:30:00Z&to=2026-01-02", ["--all-devices", "--from", "2026-01-01T00:30:00Z", "--to", "2026-01-02"]),
            ("all=true&agg=1h&fn=mean,max,count&field=power_w", ["--all-devices", "--agg", "1h", "--fn", "mean,max,count", "--field", "power_w"]),
            ("device=meter-1&agg=1d&tz=Europe/Paris&epoch=s", ["--device", "meter-1", "--agg", "1d", "--tz", "Europe/Paris", "--epoch", "s"]),
        ]
        for (query, options) in cases {
            let http = try server.request("GET", "/api/v1/query?" + query)
            let printed = try cli.run(["query", "--db", db, "--output", "json"] + options)
            #expect(http.status == 200, "\(query)")
            #expect(printed.status == 0, "\(options)")
            #expect(http.body == printed.stdout, "\(query)")
            #expect(printed.stdout.count > 10)
        }
        // Errors: the same words as the CLI's stderr line.
        for (query, options) in [("device=nope", ["--device", "nope"]), ("device=meter-1&from=yesterday", ["--device", "meter-1", "--from", "yesterday"])] {
            let http = try server.request("GET", "/api/v1/query?" + query)
            let printed = try cli.run(["query", "--db", db, "--output", "json"] + options)
            let message = printed.stderr.split(separator: "\n").first.map { String($0.dropFirst("chunkstore: ".count)) } ?? ""
            #expect(!message.isEmpty)
            #expect(http.status == 400 || http.status == 404)
            let escaped = message.replacingOccurrences(of: "\"", with: "\\\"")
            #expect(http.body.contains("\"message\":\"\(escaped)\""), "\(http.body) vs \(message)")
        }
        let last = try server.request("GET", "/api/v1/last?epoch=s")
        #expect(last.body == (try cli.run(["last", "--db", db, "--output", "json", "--epoch", "s"]).stdout))
        let devices = try server.request("GET", "/api/v1/devices")
        #expect(devices.body == (try cli.run(["devices", "--db", db, "--output", "json"]).stdout))
    }

    @Test func tokenFromTheEnvironmentAndTheWritersLock() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = cli.path("store")
        let server = try ServeProcess(cli: cli, db: db, environment: ["CHUNKSTORE_TOKEN": "t0ken"])
        defer { _ = server.stop() }
        #expect(try server.request("POST", "/write?db=x", body: Array("m,device=d v=1".utf8)).status == 401)
        #expect(try server.request("POST", "/write?db=x", headers: ["Authorization": "Token t0ken"], body: Array("m,device=d v=1".utf8)).status == 204)
        #expect(try server.request("GET", "/ping").status == 204)
        // A second writer on the same store is refused: exit 75, as for ingest.
        let second = try cli.run(["serve", "--db", db, "--port", "0"])
        #expect(second.status == 75)
        #expect(second.stderr.contains("locked"))
    }

    @Test func badOptionsAreUsageErrorsAndBadTLSFilesExit66() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = cli.path("store")
        for (options, words) in [(["--tls-cert", "c.pem"], "--tls-cert and --tls-key go together"), (["--port", "70000"], "--port"),
                                 (["--max-body", "lots"], "--max-body"), (["--token", ""], "--token must not be empty")] {
            let result = try cli.run(["serve", "--db", db] + options)
            #expect(result.status == 64, "\(options)")
            #expect(result.stderr.contains(words), "\(result.stderr)")
        }
        let result = try cli.run(["serve", "--db", db, "--port", "0", "--tls-cert", cli.path("nope.pem"), "--tls-key", cli.path("nope.pem")])
        #expect(result.status == 66)
        #expect(result.stderr.contains("cannot load the TLS certificate \(cli.path("nope.pem"))"))
    }

    @Test func aClientThatHangsUpMidBodyStoresNothingAndTheServerGoesOn() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = cli.path("store")
        let server = try ServeProcess(cli: cli, db: db)
        let line = Array("m,device=cut v=1 1767225600\n".utf8)
        try server.abandonedPost("/write?db=x&precision=s", declared: line.count * 100, body: Array(repeating: line, count: 10).flatMap { $0 })
        // The server answers the next client, which still stores its line.
        #expect(try server.request("POST", "/write?db=x&precision=s", body: Array("m,device=whole v=2 1767225600".utf8)).status == 204)
        #expect(server.stop() == 0)
        let devices = try cli.run(["devices", "--db", db, "--output", "csv"])
        #expect(devices.stdout.contains("whole"))
        #expect(!devices.stdout.contains("cut"))
    }

    @Test func theServerIsExecedAndTheTokenStaysOutOfItsArguments() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let server = try ServeProcess(cli: cli, db: cli.path("store"), extra: ["--token", "argv-secret"])
        defer { _ = server.stop() }
        // The pid `chunkstore serve` started with is the server's (exec, no child to orphan).
        let commandLine = try String(contentsOfFile: "/proc/\(server.process.processIdentifier)/cmdline", encoding: .utf8)
        #expect(commandLine.contains("chunkstore-server"))
        #expect(!commandLine.contains("argv-secret"))
        #expect(try server.request("GET", "/api/v1/devices").status == 401)
        #expect(try server.request("GET", "/api/v1/devices", headers: ["Authorization": "Bearer argv-secret"]).status == 200)
    }
}
