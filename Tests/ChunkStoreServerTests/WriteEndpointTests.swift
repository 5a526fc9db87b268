import ChunkStore
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ChunkStoreServer

@Suite struct WriteEndpointTests {
    @Test func v1WriteStoresRowsAndAnswers204() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let body = "power,device=meter-1 watts=1.5,count=3i 1767225600000000000\npower,device=meter-1 watts=2.5,count=4i 1767225601000000000\n"
            try await client.execute(uri: "/write?db=x", method: .post, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .noContent)
            }
        }
        let rows = try await fixture.store.range(device: "meter-1", fields: ["watts", "count"])
        #expect(rows.timestamps == [1_767_225_600_000_000_000, 1_767_225_601_000_000_000])
        #expect(rows.values[0] == [.float(1.5), .float(2.5)])
        #expect(rows.values[1] == [.int(3), .int(4)])
    }

    @Test func v2WriteReadsPrecision() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/api/v2/write?org=o&bucket=b&precision=s", method: .post,
                                     body: ByteBuffer(string: "m,device=d v=1 1767225600")) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/write?db=x&precision=ms", method: .post,
                                     body: ByteBuffer(string: "m,device=d v=2 1767225601000")) { response in
                #expect(response.status == .noContent)
            }
        }
        let rows = try await fixture.store.range(device: "d")
        #expect(rows.timestamps == [1_767_225_600_000_000_000, 1_767_225_601_000_000_000])
    }

    @Test func badLinesAreNamedAndGoodLinesStored() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let body = "m,device=d v=1 1767225600\nm,device=d v=1.2.3 1767225601\nm,device=d v=3 1767225602\nnot a line\n"
            try await client.execute(uri: "/api/v2/write?bucket=b&precision=s", method: .post, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(response.text.hasPrefix("{\"code\":\"invalid\",\"message\":\"partial write: 2 of 4 lines rejected, 2 rows stored: line 2: "))
                #expect(response.text.contains("; line 4: "))
            }
        }
        #expect(try await fixture.store.range(device: "d").timestamps == [1_767_225_600_000_000_000, 1_767_225_602_000_000_000])
    }

    @Test func typeClashIsALineError() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/write?db=x&precision=s", method: .post,
                                     body: ByteBuffer(string: "m,device=d v=1 1767225600\nm,device=d v=true 1767225601")) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("line 2: "))
            }
        }
        #expect(try await fixture.store.range(device: "d").count == 1)
    }

    @Test func gzipBodiesAreInflated() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let body = ByteBuffer(bytes: gzip("m,device=g v=7 1767225600\nm,device=g v=8 1767225601\n"))
            try await client.execute(uri: "/api/v2/write?bucket=b&precision=s", method: .post,
                                     headers: headers([("Content-Encoding", "gzip")]), body: body) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/v2/write?bucket=b", method: .post,
                                     headers: headers([("Content-Encoding", "gzip")]), body: ByteBuffer(string: "not gzip")) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("not valid gzip"))
            }
            try await client.execute(uri: "/api/v2/write?bucket=b", method: .post,
                                     headers: headers([("Content-Encoding", "br")]), body: ByteBuffer(string: "x")) { response in
                #expect(response.status == .unsupportedMediaType)
            }
        }
        #expect(try await fixture.store.range(device: "g").values[0] == [.float(7), .float(8)])
    }

    @Test func bodiesOverTheLimitAre413AndNothingIsStored() async throws {
        let fixture = try ServerFixture(maxBodyBytes: 1000)
        let line = "m,device=big v=1 1767225600\n"
        let big = String(repeating: line, count: 100)  // 2,800 bytes
        try await fixture.test { client in
            try await client.execute(uri: "/write?db=x&precision=s", method: .post, body: ByteBuffer(string: big)) { response in
                #expect(response.status == .contentTooLarge)
                #expect(response.text.contains("\"code\":\"request too large\""))
            }
            // Small compressed, too large inflated.
            let bomb = gzip(big)
            #expect(bomb.count < 1000)
            try await client.execute(uri: "/write?db=x&precision=s", method: .post,
                                     headers: headers([("Content-Encoding", "gzip")]), body: ByteBuffer(bytes: bomb)) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
        #expect(try await fixture.store.devices().isEmpty)
    }

    @Test func unknownPrecisionIsRefused() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/write?db=x&precision=h", method: .post, body: ByteBuffer(string: "m,device=d v=1 1")) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("precision \\\"h\\\" is not supported"))
            }
        }
        #expect(try await fixture.store.devices().isEmpty)
    }

    @Test func pingAnswers204WithVersion() async throws {
        let fixture = try ServerFixture(token: "secret")
        try await fixture.test { client in
            for method in [HTTPRequest.Method.get, .head] {
                try await client.execute(uri: "/ping", method: method) { response in
                    #expect(response.status == .noContent)
                    #expect(response.headers[.init("X-Influxdb-Version")!] == "chunkstore-0.1.0")
                }
            }
        }
    }
}

@Suite struct StoreFailureAnswerTests {
    @Test func storeFailuresAreJSONWithTheirStatus() {
        let full = JSONResponse.failure(StoreError.io(path: "/d/wal", operation: "write", reason: "No space left on device", errno: 28))
        #expect(full.status.code == 507)
        let closed = JSONResponse.failure(StoreError.notWritable("the store is closed"))
        #expect(closed.status.code == 500)
        let locked = JSONResponse.failure(StoreError.locked(path: "/d"))
        #expect(locked.status.code == 503)
    }

    @Test func aClosedStoreAnswers500AndSaysWhy() async throws {
        let fixture = try ServerFixture()
        try await fixture.store.close()
        try await fixture.test { client in
            try await client.execute(uri: "/write?db=x&precision=s", method: .post, body: ByteBuffer(string: "m,device=d v=1 1767225600")) { response in
                #expect(response.status == .internalServerError)
                #expect(response.text.hasPrefix("{\"code\":\"internal error\",\"message\":"))
            }
        }
    }
}
