import ChunkStore
import ChunkStoreCLICore
import Hummingbird

extension ChunkStoreHTTPServer {
    /// At most this many refused lines are named in a 400's message; the rest are counted.
    static let namedRejectionLimit = 100

    /// `POST /write` (InfluxDB v1), `POST /api/v2/write` (v2) and `GET`/`HEAD /ping`.
    /// `db`, `rp`, `org` and `bucket` are accepted and ignored: a server is one store.
    func addWriteRoutes(to router: Router<BasicRequestContext>) {
        router.post("/write") { request, _ in await self.write(request) }
        router.post("/api/v2/write") { request, _ in await self.write(request) }
        router.get("/ping") { _, _ in self.ping() }
        router.head("/ping") { _, _ in self.ping() }
    }

    func ping() -> Response {
        var headers = HTTPFields()
        headers[.init("X-Influxdb-Version")!] = "chunkstore-\(configuration.version)"
        headers[.init("X-Influxdb-Build")!] = "chunkstore"
        return Response(status: .noContent, headers: headers)
    }

    /// The units InfluxDB's `precision` parameter names (v1: n, u, ms, s; v2: ns, us, ms,
    /// s); absent means nanoseconds, as in InfluxDB.
    static func precision(_ text: String?) -> TimestampPrecision? {
        switch text {
        case nil, "", "n", "ns": .ns
        case "u", "us", "µ", "µs": .us
        case "ms": .ms
        case "s": .s
        default: nil
        }
    }

    func write(_ request: Request) async -> Response {
        let parameters = request.uri.queryParameters
        let precisionText = parameters["precision"].map(String.init)
        guard let precision = Self.precision(precisionText) else {
            return JSONResponse.invalid("precision \"\(precisionText ?? "")\" is not supported (use ns, us, ms or s)")
        }
        let limit = configuration.maxBodyBytes
        let tooLarge = JSONResponse.error(.contentTooLarge, "request too large",
                                          "the body is larger than \(limit) bytes (the server's --max-body); nothing was stored")
        var body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            return tooLarge
        } catch {
            return JSONResponse.invalid("cannot read the request body: \(error); nothing was stored")
        }
        var inflated: [UInt8]?
        let encoding = (request.headers[.contentEncoding] ?? "").lowercased().trimmingCharacters(in: " ")
        switch encoding {
        case "", "identity":
            break
        case "gzip", "x-gzip":
            do {
                inflated = try GzipInflater.inflate(body.readBytes(length: body.readableBytes) ?? [], limit: limit)
            } catch {
                switch error {
                case .tooLarge: return tooLarge
                case .malformed(let reason): return JSONResponse.invalid("\(reason); nothing was stored")
                }
            }
        default:
            return JSONResponse.error(.unsupportedMediaType, "unsupported media type",
                                      "Content-Encoding \"\(encoding)\" is not supported (use gzip or none)")
        }
        let now = nowNanoseconds()
        let result: LineProtocolWriteResult
        do {
            if let inflated {
                result = try await store.appendLineProtocol(inflated, precision: precision, now: now)
            } else {
                result = try await store.appendLineProtocol(body.readableBytesView, precision: precision, now: now)
            }
        } catch {
            return writeFailure.response(for: error)
        }
        metrics.recordWrite(rows: result.rows, points: result.points, rejected: result.rejected.count)
        guard !result.rejected.isEmpty else { return Response(status: .noContent) }
        return JSONResponse.invalid(Self.rejectionMessage(result))
    }

    /// `partial write: 2 of 5 lines rejected, 3 rows stored: line 2: ...; line 4: ...`.
    static func rejectionMessage(_ result: LineProtocolWriteResult) -> String {
        let named = result.rejected.prefix(namedRejectionLimit).map(\.description)
        var message = "partial write: \(result.rejected.count) of \(result.lines) lines rejected, \(result.rows) rows stored: "
        message += named.joined(separator: "; ")
        if result.rejected.count > named.count { message += "; and \(result.rejected.count - named.count) more" }
        return message
    }
}

extension String {
    /// The text without `character` at either end.
    func trimmingCharacters(in character: Character) -> String {
        Substring(self).trimmingCharacters(in: character)
    }
}
