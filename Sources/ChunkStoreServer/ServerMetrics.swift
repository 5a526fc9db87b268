import Synchronization

/// What `/metrics` reports about the server itself: ingest counters and a latency
/// histogram per endpoint, kept in memory since the server started.
final class ServerMetrics: Sendable {
    /// Upper bounds, in seconds, of the latency histogram's buckets (Prometheus' `le`).
    static let bucketBounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// The endpoints measured; any other path is counted as `other`.
    static let endpoints = ["/", "/write", "/api/v2/write", "/ping", "/health", "/metrics", "/api/v1/query", "/api/v1/last",
                            "/api/v1/devices", "other"]

    private struct Histogram {
        var counts = [UInt64](repeating: 0, count: ServerMetrics.bucketBounds.count)
        var count: UInt64 = 0
        var sum: Double = 0
    }

    private struct State {
        var rows: UInt64 = 0
        var points: UInt64 = 0
        var rejectedLines: UInt64 = 0
        var writeRequests: UInt64 = 0
        var responses: [String: UInt64] = [:]
        var latency: [String: Histogram] = [:]
    }

    private let state = Mutex(State())

    /// Counts one write request's outcome.
    func recordWrite(rows: Int, points: Int, rejected: Int) {
        state.withLock { s in
            s.rows += UInt64(rows)
            s.points += UInt64(points)
            s.rejectedLines += UInt64(rejected)
            s.writeRequests += 1
        }
    }

    /// The label `path` is counted under.
    static func endpoint(of path: String) -> String {
        endpoints.contains(path) ? path : "other"
    }

    /// Counts one answered request.
    func recordRequest(endpoint: String, status: Int, seconds: Double) {
        state.withLock { s in
            s.responses["\(endpoint)|\(status)", default: 0] += 1
            var histogram = s.latency[endpoint] ?? Histogram()
            histogram.count += 1
            histogram.sum += seconds
            for (i, bound) in Self.bucketBounds.enumerated() where seconds <= bound { histogram.counts[i] += 1 }
            s.latency[endpoint] = histogram
        }
    }

    /// The text exposition format (version 0.0.4) of these metrics and of the store's
    /// gauges given.
    func render(store: [(name: String, help: String, value: Double)], uptime: Double) -> String {
        let s = state.withLock { $0 }
        var out = ""
        func counter(_ name: String, _ help: String, _ value: UInt64) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) counter\n\(name) \(value)\n"
        }
        counter("chunkstore_rows_ingested_total", "Rows appended through the write endpoints.", s.rows)
        counter("chunkstore_points_ingested_total", "Field values appended through the write endpoints.", s.points)
        counter("chunkstore_lines_rejected_total", "Line protocol lines refused by the write endpoints.", s.rejectedLines)
        counter("chunkstore_write_requests_total", "Write requests whose body was parsed.", s.writeRequests)
        out += "# HELP chunkstore_http_responses_total HTTP responses by endpoint and status.\n"
        out += "# TYPE chunkstore_http_responses_total counter\n"
        for key in s.responses.keys.sorted() {
            let parts = key.split(separator: "|", maxSplits: 1)
            out += "chunkstore_http_responses_total{endpoint=\"\(parts[0])\",status=\"\(parts[1])\"} \(s.responses[key] ?? 0)\n"
        }
        out += "# HELP chunkstore_http_request_duration_seconds Time from request head to response head, by endpoint.\n"
        out += "# TYPE chunkstore_http_request_duration_seconds histogram\n"
        for endpoint in Self.endpoints {
            guard let h = s.latency[endpoint] else { continue }
            for (i, bound) in Self.bucketBounds.enumerated() {
                out += "chunkstore_http_request_duration_seconds_bucket{endpoint=\"\(endpoint)\",le=\"\(bound)\"} \(h.counts[i])\n"
            }
            out += "chunkstore_http_request_duration_seconds_bucket{endpoint=\"\(endpoint)\",le=\"+Inf\"} \(h.count)\n"
            out += "chunkstore_http_request_duration_seconds_sum{endpoint=\"\(endpoint)\"} \(h.sum)\n"
            out += "chunkstore_http_request_duration_seconds_count{endpoint=\"\(endpoint)\"} \(h.count)\n"
        }
        for gauge in store {
            out += "# HELP \(gauge.name) \(gauge.help)\n# TYPE \(gauge.name) gauge\n\(gauge.name) \(Self.number(gauge.value))\n"
        }
        out += "# HELP chunkstore_uptime_seconds Seconds since the server started.\n# TYPE chunkstore_uptime_seconds gauge\n"
        out += "chunkstore_uptime_seconds \(uptime)\n"
        return out
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
