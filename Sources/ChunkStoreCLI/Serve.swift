import ArgumentParser
import ChunkStore
import ChunkStoreCLICore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the store over HTTP: InfluxDB-compatible writes, JSON queries, health and metrics.",
        discussion: """
            The server is the store's writer (it creates the store if needed, and holds
            its lock); 'chunkstore query' and the other readers keep working beside it.
            SIGTERM or SIGINT stops it: requests in flight finish, the store is flushed
            and closed, and it exits 0.

            The server is a second executable, chunkstore-server, installed next to
            chunkstore (or on PATH): 'chunkstore serve' checks these options and execs
            it, so the other commands do not carry its libraries.

            ENDPOINTS
              POST /write?db=&precision=            InfluxDB v1 line protocol write
              POST /api/v2/write?org=&bucket=&precision=   InfluxDB v2 write
              GET|HEAD /ping                         204, X-Influxdb-Version header
              GET /api/v1/query?device=ID&from=&to=&field=&agg=&fn=&tz=&epoch=
                                                     'chunkstore query --output json'
                                                     (all=true for --all-devices)
              GET /api/v1/last?device=&epoch=        'chunkstore last --output json'
              GET /api/v1/devices?epoch=             'chunkstore devices --output json'
              GET /health                            JSON: store, uptime, version
              GET /                                  the dashboard (a page for a browser)
              GET /metrics                           Prometheus text format

            SECURITY
              Listens on loopback unless --host says otherwise. With --token (or
              $CHUNKSTORE_TOKEN) every endpoint but /ping, /health and the page / needs
              'Authorization: Token T' (or Bearer T, Basic with T as password, or
              v1's p=T). With --tls-cert and --tls-key it speaks HTTPS only; use it
              (or a TLS proxy) before listening on a network others share.

            TIMEOUTS
              A connection that sends nothing for --read-timeout while none of its
              requests is being answered (headers sent slowly or not at all, an idle
              keep-alive connection) is closed, and so is one whose request body has
              not arrived whole --read-timeout after its headers. A request cut off,
              like one whose client hangs up mid-body, stores nothing; a body is read
              whole before it reaches the store, so a slow client never holds up
              other clients' writes.

            FAILURES
              Bad lines: 400, the good lines stored, each bad line named. A body over
              --max-body: 413, nothing stored. Unparseable HTTP (request line,
              headers, Content-Length): 400 and the connection closed. A broken
              chunked body or bad gzip: 400, nothing stored. A full disk: 507 with the
              store's message (the path and "No space left on device"); the rows of
              that request are not acknowledged, every row acknowledged before stays.
              Errors are JSON in InfluxDB's shape: {"code":"...","message":"..."}.

            EXAMPLES
              chunkstore serve --db /var/lib/meters
              CHUNKSTORE_TOKEN=s3cret chunkstore serve --host 0.0.0.0 --port 8086
              curl -i -XPOST 'localhost:8086/api/v2/write?bucket=b&precision=s' \\
                  -H 'Authorization: Token s3cret' --data-binary 'm,device=a p=1 1767225600'

            \(Sysexit.table)
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("Address to listen on.", valueName: "address"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("TCP port (0: any free port; the listening line on stderr names it).", valueName: "port"))
    var port = 8086

    @Option(help: ArgumentHelp("Token every endpoint but /ping, /health and / needs (default: $CHUNKSTORE_TOKEN).",
                               valueName: "token"))
    var token: String?

    @Option(name: .customLong("max-body"),
            help: ArgumentHelp("Largest request body, before and after gzip: bytes, or with K, M or G (default 25M).",
                               valueName: "size"))
    var maxBody: String?

    @Option(name: .customLong("read-timeout"),
            help: ArgumentHelp("How long a client may take to send a request (e.g. 30s, 500ms, 2m; default 30s): see TIMEOUTS.",
                               valueName: "duration"))
    var readTimeout: String?

    @Option(help: "When the log is fsynced: always (every write request), interval (every 100 ms) or none (at shutdown).")
    var sync: Ingest.Sync = .interval

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("PEM certificate chain: serve HTTPS only (needs --tls-key).",
                                                              valueName: "path"))
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("PEM private key of --tls-cert.", valueName: "path"))
    var tlsKey: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        if host.isEmpty { throw ValidationError("--host must not be empty") }
        if let token, token.isEmpty { throw ValidationError("--token must not be empty") }
        if (tlsCertificate == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if let readTimeout { _ = try Self.timeout(readTimeout) }
        if let maxBody, Self.byteCount(maxBody) == nil {
            throw ValidationError("--max-body: expected a size such as 1048576, 512K or 25M, got \"\(maxBody)\"")
        }
    }

    /// `--read-timeout`'s duration in nanoseconds: a positive number and a unit (ms, s, m, h).
    static func timeout(_ text: String) throws -> Int64 {
        let width: BucketWidth
        do { width = try TimeParsing.parseDuration(text) } catch {
            throw ValidationError("--read-timeout: \(error)")
        }
        guard case .nanoseconds(let ns) = width, ns >= 1_000_000 else {
            throw ValidationError("--read-timeout: expected a duration of at least 1ms such as 30s, 500ms or 2m, got \"\(text)\"")
        }
        return ns
    }

    /// `1048576`, `512K`, `25M`, `1G` (binary multiples; a trailing B or iB is allowed).
    static func byteCount(_ text: String) -> Int? {
        var digits = Substring(text.uppercased())
        for suffix in ["IB", "B"] where digits.hasSuffix(suffix) { digits = digits.dropLast(suffix.count); break }
        var shift = 0
        switch digits.last {
        case "K": shift = 10
        case "M": shift = 20
        case "G": shift = 30
        default: break
        }
        if shift > 0 { digits = digits.dropLast() }
        guard let value = Int(digits), value > 0, value <= Int.max >> shift else { return nil }
        return value << shift
    }

    /// Execs `chunkstore-server` (next to this executable, else on PATH) with the checked
    /// options; the token goes in its environment, not in its argument list.
    func run() throws {
        if let token { setenv("CHUNKSTORE_TOKEN", token, 1) }
        var arguments = ["--db", database.path, "--host", host, "--port", String(port), "--sync", sync.rawValue]
        if let bytes = maxBody.flatMap(Self.byteCount) { arguments += ["--max-body", String(bytes)] }
        if let readTimeout, let ns = try? Self.timeout(readTimeout) { arguments += ["--read-timeout", String(ns)] }
        if let tlsCertificate, let tlsKey { arguments += ["--tls-cert", tlsCertificate, "--tls-key", tlsKey] }
        StandardStream.output.flush()
        let sibling = Self.executableDirectory().map { $0 + "/chunkstore-server" }
        if let sibling, access(sibling, X_OK) == 0 { Self.exec(sibling, arguments, searchPath: false) }
        Self.exec("chunkstore-server", arguments, searchPath: true)
        throw CLIError(.noInput, "serve runs chunkstore-server, which is neither next to chunkstore (\(sibling ?? "?")) nor on PATH: "
                       + "install both executables (swift build builds both)")
    }

    /// The directory of the running executable (Linux: /proc/self/exe).
    static func executableDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }

    /// Replaces this process with `program` (returns only when that failed).
    static func exec(_ program: String, _ arguments: [String], searchPath: Bool) {
        var argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        if searchPath { execvp(program, argv) } else { execv(program, argv) }
    }
}
