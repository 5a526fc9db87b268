import ChunkStore
import ChunkStoreCLICore
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOCore

/// `chunkstore serve`: InfluxDB-compatible writes, the CLI's queries as JSON, health and
/// Prometheus metrics, over HTTP, for one store that this server writes.
///
/// Built on the library's public API only: the store's `async` calls, which run its
/// blocking work on the store's own Dispatch threads, never on Swift concurrency's
/// cooperative pool. A write is answered 204 only after its rows were appended under the
/// store's sync policy.
public struct ChunkStoreHTTPServer: Sendable {
    let configuration: ServeConfiguration
    let store: Store
    let metrics = ServerMetrics()
    let started = ContinuousClock.now
    /// How a refused write is answered (507 once the disk has filled).
    let writeFailure: WriteFailureAnswer
    /// Loaded at init, so that a bad certificate or key fails before anything listens.
    let tls: TLSConfiguration?

    /// A server for `store`, which must have been opened for writing. Throws
    /// ``ServeSetupError`` when the TLS certificate or key cannot be loaded.
    public init(store: Store, configuration: ServeConfiguration) throws(ServeSetupError) {
        self.configuration = configuration
        self.store = store
        self.writeFailure = WriteFailureAnswer(storePath: configuration.storePath)
        switch (configuration.tlsCertificatePath, configuration.tlsKeyPath) {
        case (nil, nil):
            tls = nil
        case (let certificate?, let key?):
            let chain: [NIOSSLCertificate]
            let privateKey: NIOSSLPrivateKey
            do { chain = try NIOSSLCertificate.fromPEMFile(certificate) } catch {
                throw ServeSetupError("cannot load the TLS certificate \(certificate): \(error)")
            }
            do { privateKey = try NIOSSLPrivateKey(file: key, format: .pem) } catch {
                throw ServeSetupError("cannot load the TLS key \(key): \(error)")
            }
            guard !chain.isEmpty else { throw ServeSetupError("no certificate in \(certificate)") }
            var settings = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                                    privateKey: .privateKey(privateKey))
            settings.minimumTLSVersion = .tlsv12
            tls = settings
        default:
            throw ServeSetupError("TLS needs both a certificate and its key")
        }
    }

    /// Plain HTTP/1.1, or HTTPS when TLS is configured; slow clients are cut off after
    /// the read timeout (Hummingbird's idle timeout, and ``RequestBodyDeadline``).
    func serverBuilder() throws -> HTTPServerBuilder {
        let (seconds, attoseconds) = configuration.readTimeout.components
        let timeout = TimeAmount.nanoseconds(max(1, seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
        let http1 = HTTPServerBuilder.http1(configuration: .init(
            additionalChannelHandlers: [RequestBodyDeadline(timeout: timeout)], idleTimeout: timeout))
        guard let tls else { return http1 }
        return try .tls(http1, tlsConfiguration: tls)
    }

    /// Serves until SIGTERM or SIGINT, then stops accepting connections, lets the requests
    /// in flight finish and returns. The caller closes the store (which flushes it).
    /// `onListening` gets the host and the port bound (useful with port 0).
    public func run(onListening: @escaping @Sendable (String, Int) -> Void = { _, _ in }) async throws {
        let host = configuration.host
        let port = configuration.port
        let app = Application(
            router: buildRouter(),
            server: try serverBuilder(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in onListening(host, channel.localAddress?.port ?? port) }
        )
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    /// The routes, behind the latency and token middleware.
    func buildRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: LatencyMiddleware(metrics: metrics))
        router.add(middleware: TokenMiddleware(check: configuration.token.map(TokenCheck.init(token:))))
        addWriteRoutes(to: router)
        addQueryRoutes(to: router)
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: DashboardPage.html)))
        }
        return router
    }

    /// Seconds since the server started.
    var uptimeSeconds: Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// Why a server could not be set up (the TLS files), in words for the person who started it.
public struct ServeSetupError: Error, CustomStringConvertible {
    /// What went wrong, naming the file.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Counts each request in the metrics with its endpoint, status and latency.
struct LatencyMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let endpoint = ServerMetrics.endpoint(of: request.uri.path)
        func seconds() -> Double {
            let d = ContinuousClock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        do {
            let response = try await next(request, context)
            metrics.recordRequest(endpoint: endpoint, status: response.status.code, seconds: seconds())
            return response
        } catch let error as any HTTPResponseError {
            metrics.recordRequest(endpoint: endpoint, status: error.status.code, seconds: seconds())
            throw error
        } catch {
            metrics.recordRequest(endpoint: endpoint, status: 500, seconds: seconds())
            throw error
        }
    }
}

/// Refuses, with 401, a request without the token, except `/ping`, `/health` and the
/// dashboard's page `/` (which holds no data: its script sends the token).
struct TokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let check: TokenCheck?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let check else { return try await next(request, context) }
        let path = request.uri.path
        if path == "/ping" || path == "/health" || path == "/" { return try await next(request, context) }
        let password = request.uri.queryParameters["p"].map(String.init)
        guard check.accepts(authorization: request.headers[.authorization], password: password) else {
            var response = JSONResponse.error(.unauthorized, "unauthorized",
                                              "unauthorized access: this server needs its token (Authorization: Token T)")
            response.headers[.wwwAuthenticate] = "Token"
            return response
        }
        return try await next(request, context)
    }
}
