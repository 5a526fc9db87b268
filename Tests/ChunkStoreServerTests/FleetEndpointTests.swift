import ChunkStore
import ChunkStoreCLICore
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ChunkStoreServer

/// `/api/v1/alerts` and `/api/v1/summary` answer what `chunkstore alerts` and `chunkstore
/// summary` print with `--output json`, and refuse bad parameters in the CLI's words.
@Suite struct FleetEndpointTests {
    /// Two meters over a day, and alert events stored as the rules engine stores them.
    static func loaded() throws -> ServerFixture {
        let fixture = try ServerFixture()
        var rows: [Row] = []
        let start: Int64 = 1_767_225_600_000_000_000
        for h in 0..<24 {
            let t = start + Int64(h) * 3_600_000_000_000
            rows.append(Row(device: "meter-1", timestamp: t, fields: ["power": .float(Double(h % 6) * 100), "kwh": .float(Double(h))]))
            rows.append(Row(device: "meter-2", timestamp: t, fields: ["power": .float(h >= 18 ? 2000 : 300), "kwh": .float(Double(h) * 2)]))
        }
        let events = [
            AlertEvent(rule: "hot", device: "meter-2", timestamp: start + 18 * 3_600_000_000_000, firing: true, severity: .critical, value: 2000),
            AlertEvent(rule: "hot", device: "meter-1", timestamp: start + 5 * 3_600_000_000_000, firing: true, severity: .critical, value: 500),
            AlertEvent(rule: "hot", device: "meter-1", timestamp: start + 6 * 3_600_000_000_000, firing: false, severity: .critical, value: 0),
        ]
        try fixture.store.append(rows + events.map(\.row))
        return fixture
    }

    static func text(_ body: (TextBuffer) throws -> Void) rethrows -> String {
        let out = TextBuffer()
        try body(out)
        return out.text
    }

    @Test func alertsAnswerTheCLIsJSON() async throws {
        let fixture = try Self.loaded()
        let all = try Self.text { try Listings.alerts(try fixture.store.alerts(), format: .json, epoch: nil, out: $0) }
        let active = try Self.text { try Listings.alerts(try fixture.store.alerts(activeOnly: true), format: .json, epoch: .s, out: $0) }
        #expect(all.contains("\"resolved\"") && active.contains("meter-2") && !active.contains("meter-1"))
        try await fixture.test { client in
            try await client.execute(uri: "/api/v1/alerts", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text == all)
            }
            try await client.execute(uri: "/api/v1/alerts?active=true&epoch=s", method: .get) { response in
                #expect(response.text == active)
            }
            try await client.execute(uri: "/api/v1/alerts?since=2027-01-01", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text == "[]\n" || !response.text.contains("meter"))
            }
            try await client.execute(uri: "/api/v1/alerts?active=maybe", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("active: expected true or false"))
            }
            try await client.execute(uri: "/api/v1/alerts?since=yesterday", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("--since"))
            }
        }
    }

    @Test func summaryAnswersTheCLIsJSON() async throws {
        let fixture = try Self.loaded()
        var request = SummaryRequest(from: 1_767_225_600_000_000_000, to: nil)
        request.fields = ["power"]
        request.counter = "kwh"
        let plain = try Self.text {
            try Listings.summary(try fixture.store.summary(request), counter: "kwh", clustered: false, format: .json, epoch: nil, out: $0)
        }
        var clustered = SummaryRequest(from: nil, to: nil)
        clustered.fields = ["power"]
        clustered.clusters = 2
        let clusters = try Self.text {
            try Listings.summary(try fixture.store.summary(clustered), counter: nil, clustered: true, format: .json, epoch: nil, out: $0)
        }
        var aggregated = request
        aggregated.percentiles = false
        aggregated.gaps = false
        let fromAggregates = try Self.text {
            try Listings.summary(try fixture.store.summary(aggregated), counter: "kwh", clustered: false, format: .json, epoch: nil, out: $0)
        }
        #expect(plain.contains("kwh_consumption") && clusters.contains("\"members\""))
        #expect(plain.contains("p95") && !fromAggregates.contains("p95") && fromAggregates != plain)
        try await fixture.test { client in
            try await client.execute(uri: "/api/v1/summary?from=2026-01-01&field=power&counter=kwh", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text == plain)
            }
            try await client.execute(uri: "/api/v1/summary?field=power&clusters=2", method: .get) { response in
                #expect(response.text == clusters)
            }
            try await client.execute(uri: "/api/v1/summary?from=2026-01-01&field=power&counter=kwh&percentiles=false&gaps=0",
                                     method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text == fromAggregates)
            }
            for bad in ["clusters=0", "gap=-1", "from=soon", "k=2", "percentiles=maybe"] {
                try await client.execute(uri: "/api/v1/summary?" + bad, method: .get) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                }
            }
        }
    }
}
