import ChunkStore
import ChunkStoreCLICore
import Hummingbird

extension ChunkStoreHTTPServer {
    /// `/api/v1/query`, `/api/v1/last`, `/api/v1/devices`, `/api/v1/alerts`, `/api/v1/summary`,
    /// `/health` and `/metrics`.
    func addQueryRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/v1/query") { request, _ in await self.query(request) }
        router.get("/api/v1/last") { request, _ in await self.last(request) }
        router.get("/api/v1/devices") { request, _ in await self.devices(request) }
        router.get("/api/v1/alerts") { request, _ in await self.alerts(request) }
        router.get("/api/v1/summary") { request, _ in await self.summary(request) }
        router.get("/health") { _, _ in self.health() }
        router.get("/metrics") { _, _ in await self.prometheus() }
    }

    /// Parameters every endpoint accepts: v1's credentials.
    private static let credentialParameters: Set<String> = ["u", "p"]

    /// A 400 naming the first parameter that `allowed` does not hold, if any.
    private static func unknownParameter(_ request: Request, allowed: Set<String>) -> Response? {
        for (key, _) in request.uri.queryParameters where !allowed.contains(String(key)) && !credentialParameters.contains(String(key)) {
            return JSONResponse.invalid("unknown parameter \"\(key)\" (use \(allowed.sorted().joined(separator: ", ")))")
        }
        return nil
    }

    /// `epoch=ns|ms|s`, as `--epoch`.
    private static func epoch(_ request: Request) throws -> EpochUnit? {
        guard let text = request.uri.queryParameters["epoch"].map(String.init) else { return nil }
        guard let unit = EpochUnit(rawValue: text) else {
            throw CLIError(.usage, "--epoch: unknown unit \"\(text)\" (use ns, ms or s)")
        }
        return unit
    }

    /// Runs `body` on the store's read threads with a text buffer, and answers its text as JSON.
    private func answer(_ body: @escaping @Sendable (Store, TextBuffer) throws -> Void) async -> Response {
        do {
            let bytes = try await store.blockingRead { store in
                let buffer = TextBuffer()
                try body(store, buffer)
                return buffer.bytes
            }
            return JSONResponse.json(utf8: bytes)
        } catch {
            return JSONResponse.failure(error)
        }
    }

    /// What `chunkstore query --output json` prints for the same options: `device`
    /// (repeatable) or `all`, `from`, `to`, `field` (repeatable), `agg`, `fn`, `tz`, `epoch`.
    func query(_ request: Request) async -> Response {
        if let refused = Self.unknownParameter(request, allowed: ["device", "all", "from", "to", "field", "agg", "fn", "tz", "epoch"]) {
            return refused
        }
        let parameters = request.uri.queryParameters
        var query = QueryRequest()
        query.devices = parameters[values: "device"].map(String.init)
        if let all = parameters["all"] {
            switch all {
            case "", "true", "1": query.allDevices = true
            case "false", "0": query.allDevices = false
            default: return JSONResponse.invalid("all: expected true or false, got \"\(all)\"")
            }
        }
        query.from = parameters["from"].map(String.init)
        query.to = parameters["to"].map(String.init)
        query.fieldLists = parameters[values: "field"].map(String.init)
        query.agg = parameters["agg"].map(String.init)
        query.fn = parameters["fn"].map(String.init)
        query.tz = parameters["tz"].map(String.init)
        let plan: QueryRequest.Plan
        let epoch: EpochUnit?
        do {
            plan = try query.validated()
            epoch = try Self.epoch(request)
        } catch {
            return JSONResponse.failure(error)
        }
        let path = configuration.storePath
        return await answer { store, out in try plan.run(store: store, storePath: path, format: .json, epoch: epoch, out: out) }
    }

    /// What `chunkstore last --output json` prints: `device` (repeatable), `epoch`.
    func last(_ request: Request) async -> Response {
        if let refused = Self.unknownParameter(request, allowed: ["device", "epoch"]) { return refused }
        let devices = request.uri.queryParameters[values: "device"].map(String.init)
        if devices.contains(where: \.isEmpty) { return JSONResponse.invalid("--device must not be empty") }
        let epoch: EpochUnit?
        do { epoch = try Self.epoch(request) } catch { return JSONResponse.failure(error) }
        let path = configuration.storePath
        return await answer { store, out in
            try Listings.latest(store: store, storePath: path, devices: devices, format: .json, epoch: epoch, out: out)
        }
    }

    /// What `chunkstore devices --output json` prints: `epoch`.
    func devices(_ request: Request) async -> Response {
        if let refused = Self.unknownParameter(request, allowed: ["epoch"]) { return refused }
        let epoch: EpochUnit?
        do { epoch = try Self.epoch(request) } catch { return JSONResponse.failure(error) }
        return await answer { store, out in try Listings.devices(store: store, format: .json, epoch: epoch, out: out) }
    }

    /// What `chunkstore alerts --output json` prints: `active` (true/false), `since`, `epoch`.
    func alerts(_ request: Request) async -> Response {
        if let refused = Self.unknownParameter(request, allowed: ["active", "since", "epoch"]) { return refused }
        let parameters = request.uri.queryParameters
        let active: Bool
        let since: Int64?
        let epoch: EpochUnit?
        do {
            active = try Self.flag(parameters["active"].map(String.init), "active")
            since = try parseTime(parameters["since"].map(String.init), "--since")
            epoch = try Self.epoch(request)
        } catch {
            return JSONResponse.failure(error)
        }
        return await answer { store, out in
            try Listings.alerts(try store.alerts(since: since, activeOnly: active), format: .json, epoch: epoch, out: out)
        }
    }

    /// What `chunkstore summary --output json` prints: `from`, `to`, `field` (repeatable),
    /// `counter`, `gap`, `clusters`, `epoch`, and `percentiles=false` / `gaps=false` for
    /// `--no-percentiles` / `--no-gaps` (both off: answered from stored aggregates).
    func summary(_ request: Request) async -> Response {
        let allowed: Set<String> = ["from", "to", "field", "counter", "gap", "clusters", "epoch", "percentiles", "gaps"]
        if let refused = Self.unknownParameter(request, allowed: allowed) { return refused }
        let parameters = request.uri.queryParameters
        var summaryRequest: SummaryRequest
        let epoch: EpochUnit?
        do {
            summaryRequest = SummaryRequest(from: try parseTime(parameters["from"].map(String.init), "--from"),
                                            to: try parseTime(parameters["to"].map(String.init), "--to"))
            summaryRequest.fields = parameters[values: "field"].map(String.init)
            summaryRequest.counter = parameters["counter"].map(String.init)
            summaryRequest.percentiles = try Self.flag(parameters["percentiles"].map(String.init), "percentiles", absent: true)
            summaryRequest.gaps = try Self.flag(parameters["gaps"].map(String.init), "gaps", absent: true)
            if let text = parameters["gap"] {
                guard let gap = Double(String(text)), gap > 0, gap.isFinite else {
                    throw CLIError(.usage, "--gap must be a positive number")
                }
                summaryRequest.gapIntervals = gap
            }
            if let text = parameters["clusters"] {
                guard let k = Int(String(text)), (1...1000).contains(k) else {
                    throw CLIError(.usage, "--clusters must be between 1 and 1000")
                }
                summaryRequest.clusters = k
            }
            epoch = try Self.epoch(request)
        } catch {
            return JSONResponse.failure(error)
        }
        let request = summaryRequest
        return await answer { store, out in
            try Listings.summary(try store.summary(request), counter: request.counter, clustered: request.clusters > 0,
                                 format: .json, epoch: epoch, out: out)
        }
    }

    /// A true/false parameter (absent: `absent`; present without a value: true).
    private static func flag(_ text: String?, _ name: String, absent: Bool = false) throws -> Bool {
        switch text {
        case nil: return absent
        case "false", "0": return false
        case "", "true", "1": return true
        case let other?: throw CLIError(.usage, "\(name): expected true or false, got \"\(other)\"")
        }
    }

    /// `{"name":"chunkstore","status":"pass",...,"store":PATH,"uptime_seconds":N,"version":V}`; open without the token.
    func health() -> Response {
        JSONResponse.json("{\"name\":\"chunkstore\",\"status\":\"pass\",\"message\":\"ready for queries and writes\","
            + "\"store\":\(jsonString(configuration.storePath)),\"uptime_seconds\":\(uptimeSeconds),"
            + "\"version\":\(jsonString(configuration.version))}\n")
    }

    /// Prometheus' text format: ingest counters, latency histograms, store gauges.
    func prometheus() async -> Response {
        let gauges: [(name: String, help: String, value: Double)]
        do {
            let info = try await store.info()
            gauges = [
                ("chunkstore_store_bytes", "Bytes of the store's files on disk.", Double(info.bytesOnDisk)),
                ("chunkstore_store_chunks", "Sealed chunks in the store.", Double(info.chunks)),
                ("chunkstore_store_rows", "Rows in the store, duplicates resolved.", Double(info.rows)),
                ("chunkstore_store_points", "Field values in the store.", Double(info.points)),
                ("chunkstore_store_devices", "Devices in the store.", Double(info.devices)),
            ]
        } catch {
            return JSONResponse.failure(error)
        }
        let text = metrics.render(store: gauges, uptime: uptimeSeconds)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
