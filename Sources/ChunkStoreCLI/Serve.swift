import ArgumentParser
import ChunkStore
import ChunkStoreCLICore
import ChunkStoreServer
import Dispatch
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
        if let maxBody, Self.byteCount(maxBody) == nil {
            throw ValidationError("--max-body: expected a size such as 1048576, 512K or 25M, got \"\(maxBody)\"")
        }
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

    func run() throws {
        var tokenValue = token
        if tokenValue == nil, let env = getenv("CHUNKSTORE_TOKEN"), env.pointee != 0 { tokenValue = String(cString: env) }
        var options = StoreOptions()
        options.sync = sync.policy
        let store = try Store.open(at: database.path, options: options)
        let configuration = ServeConfiguration(
            storePath: database.path, host: host, port: port, token: tokenValue,
            maxBodyBytes: maxBody.flatMap(Self.byteCount) ?? ServeConfiguration.defaultMaxBodyBytes, version: chunkstoreVersion,
            tlsCertificatePath: tlsCertificate, tlsKeyPath: tlsKey)
        let server: ChunkStoreHTTPServer
        do {
            server = try ChunkStoreHTTPServer(store: store, configuration: configuration)
        } catch {
            try? store.close()
            throw CLIError(.noInput, error.description)
        }
        let auth = tokenValue == nil ? "no token" : "token required"
        let scheme = tlsCertificate == nil ? "http" : "https"
        let outcome = runBlocking {
            try await server.run { host, port in
                printError("chunkstore serve: listening on \(scheme)://\(host):\(port) (store \(configuration.storePath), \(auth))")
            }
        }
        // Requests have drained: seal and fsync every row acknowledged, release the lock.
        do { try store.close() } catch {
            throw CLIError(error.sysexit, "closing \(database.path): \(error)")
        }
        if case .failure(let error) = outcome {
            throw CLIError(.ioError, "serve: \(error)")
        }
        printError("chunkstore serve: stopped; the store is flushed and closed")
    }
}

/// Runs `body` on Swift concurrency's pool and waits for it on this thread, which is not
/// one of the pool's: the CLI's commands are synchronous.
private func runBlocking(_ body: @escaping @Sendable () async throws -> Void) -> Result<Void, any Error> {
    final class Box: @unchecked Sendable { var result: Result<Void, any Error> = .success(()) }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { try await body() } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return box.result
}
