import ChunkStore
import ChunkStoreCLICore
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ChunkStoreServer

@Suite struct QueryEndpointTests {
    static let data = """
        m,device=meter-1 power=1.5,state=true 1767225600
        m,device=meter-1 power=2.5,state=false 1767229200
        m,device=meter-2 power=10,count=1i 1767225600
        m,device=meter-2 power=20,count=2i 1767232800
        """

    static func loaded() throws -> ServerFixture {
        let fixture = try ServerFixture()
        let result = try fixture.store.appendLineProtocol(Array(data.utf8), precision: .s, now: 0)
        #expect(result.rejected.isEmpty && result.rows == 4)
        return fixture
    }

    /// What the CLI's code prints for `request` with `--output json`.
    static func cliJSON(_ fixture: ServerFixture, _ request: QueryRequest, epoch: EpochUnit? = nil) throws -> String {
        let out = TextBuffer()
        try request.validated().run(store: fixture.store, storePath: fixture.directory, format: .json, epoch: epoch, out: out)
        return out.text
    }

    @Test func rangeAndDownsampleAnswerTheCLIsJSON() async throws {
        let fixture = try Self.loaded()
        var raw = QueryRequest()
        raw.devices = ["meter-2", "meter-1"]
        raw.fieldLists = ["power"]
        var agg = QueryRequest()
        agg.allDevices = true
        agg.from = "2026-01-01"
        agg.agg = "1d"
        agg.fn = "min,max,count"
        agg.tz = "Europe/Paris"
        let expectedRaw = try Self.cliJSON(fixture, raw)
        let expectedAgg = try Self.cliJSON(fixture, agg, epoch: .s)
        #expect(expectedRaw.contains("\"power\":10.0") || expectedRaw.contains("\"power\":10"))
        try await fixture.test { client in
            try await client.execute(uri: "/api/v1/query?device=meter-2&device=meter-1&field=power", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text == expectedRaw)
            }
            try await client.execute(uri: "/api/v1/query?all=true&from=2026-01-01&agg=1d&fn=min,max,count&tz=Europe/Paris&epoch=s",
                                     method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text == expectedAgg)
            }
        }
    }

    @Test func errorsUseTheCLIsWords() async throws {
        let fixture = try Self.loaded()
        try await fixture.test { client in
            try await client.execute(uri: "/api/v1/query", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.text == "{\"code\":\"invalid\",\"message\":\"give --device ID (repeatable) or --all-devices\"}\n")
            }
            try await client.execute(uri: "/api/v1/query?device=meter-3", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.text.contains("no device \\\"meter-3\\\" in \(fixture.directory) (did you mean \\\"meter-1\\\"?)"))
            }
            try await client.execute(uri: "/api/v1/query?device=meter-1&fn=max", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("--fn needs --agg"))
            }
            try await client.execute(uri: "/api/v1/query?device=meter-1&feild=power", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("unknown parameter \\\"feild\\\""))
            }
            try await client.execute(uri: "/api/v1/query?device=meter-1&epoch=us", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func lastAndDevicesAnswerTheCLIsJSON() async throws {
        let fixture = try Self.loaded()
        let last = TextBuffer()
        try Listings.latest(store: fixture.store, storePath: fixture.directory, devices: ["meter-2"], format: .json, epoch: .ms, out: last)
        let devices = TextBuffer()
        try Listings.devices(store: fixture.store, format: .json, epoch: nil, out: devices)
        #expect(last.text.contains("1767232800000"))
        let lastText = last.text, devicesText = devices.text
        try await fixture.test { client in
            try await client.execute(uri: "/api/v1/last?device=meter-2&epoch=ms", method: .get) { response in
                #expect(response.text == lastText)
            }
            try await client.execute(uri: "/api/v1/devices", method: .get) { response in
                #expect(response.text == devicesText)
                #expect(response.text.contains("\"device\":\"meter-1\""))
            }
        }
    }

    @Test func healthAndMetrics() async throws {
        let fixture = try Self.loaded()
        try await fixture.test { client in
            try await client.execute(uri: "/write?db=x&precision=s", method: .post,
                                     body: ByteBuffer(string: "m,device=meter-3 power=1 1767225600\nbad line")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.hasPrefix("{\"name\":\"chunkstore\",\"status\":\"pass\""))
                #expect(response.text.contains("\"store\":\"\(fixture.directory)\""))
                #expect(response.text.contains("\"version\":\"0.1.0\""))
                #expect(response.text.contains("\"uptime_seconds\":"))
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let text = response.text
                #expect(text.contains("\nchunkstore_rows_ingested_total 1\n"))
                #expect(text.contains("\nchunkstore_points_ingested_total 1\n"))
                #expect(text.contains("\nchunkstore_lines_rejected_total 1\n"))
                #expect(text.contains("chunkstore_http_request_duration_seconds_count{endpoint=\"/write\"} 1\n"))
                #expect(text.contains("chunkstore_http_responses_total{endpoint=\"/health\",status=\"200\"} 1\n"))
                #expect(text.contains("\nchunkstore_store_devices 3\n"))
                #expect(text.contains("# TYPE chunkstore_http_request_duration_seconds histogram\n"))
            }
        }
    }
}
