import ChunkStore
import Foundation
import Hummingbird

// A telemetry service: devices POST line protocol, dashboards GET JSON. Every store call
// is the async overload, so no request ever blocks one of Swift concurrency's threads.
let store = try await Store.open(at: "telemetry")

/// A JSON answer: rows, latest rows and downsampled results are Codable.
func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    Response(status: status, headers: [.contentType: "application/json"],
             body: ResponseBody(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(value))))
}

let router = Router()
// POST /write?precision=s with lines such as `meter,device=m1 power_w=1234.5 1767225600`.
router.post("/write") { request, _ -> Response in
    let precision = TimestampPrecision(rawValue: String(request.uri.queryParameters["precision"] ?? "ns")) ?? .ns
    let body = try await request.body.collect(upTo: 10 << 20)
    let result = try await store.appendLineProtocol(body.readableBytesView, precision: precision,
                                                    now: StoreTime.nanoseconds(Date.now))
    guard result.rejected.isEmpty else {  // the good lines are stored; name the bad ones
        return try json(result.rejected.map(\.description), status: .badRequest)  // ["line 2: ..."]
    }
    return Response(status: .noContent)
}
// GET /devices/m1/rows?hours=1: the raw rows, as {"device":..,"timestamp":..,"fields":{..}}.
router.get("/devices/:device/rows") { request, context -> Response in
    let hours = Double(request.uri.queryParameters["hours"] ?? "") ?? 1
    let rows = try await store.range(device: try context.parameters.require("device"),
                                     from: Date.now.addingTimeInterval(-hours * 3600), to: Date.now)
    return try json(rows.map(\.row))
}
// GET /devices/m1/hourly?field=power_w: mean and max per hour of the last day.
router.get("/devices/:device/hourly") { request, context -> Response in
    let query = try DownsampleQuery(device: try context.parameters.require("device"),
                                    from: Date.now.addingTimeInterval(-86_400), to: Date.now,
                                    fields: [String(request.uri.queryParameters["field"] ?? "power_w")],
                                    every: .seconds(3600), functions: [.mean, .max])
    return try json(try await store.downsampleResult(query))  // columns "power_w.mean", "power_w.max"
}
// GET /latest: every device's latest row.
router.get("/latest") { _, _ -> Response in try json(Array(try await store.latest())) }

let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 8080)))
try await app.runService()  // until SIGINT or SIGTERM
try await store.close()     // seals and fsyncs everything
