import ChunkStore
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ChunkStoreServer

@Suite struct AuthTests {
    static let line = ByteBuffer(string: "m,device=d v=1 1767225600")

    @Test func everyFormOfTheTokenIsAccepted() async throws {
        let fixture = try ServerFixture(token: "s3cret")
        let basic = "Basic " + "user:s3cret".base64ForTest
        try await fixture.test { client in
            for auth in ["Token s3cret", "Bearer s3cret", basic] {
                try await client.execute(uri: "/write?db=x&precision=s", method: .post,
                                         headers: headers([("Authorization", auth)]), body: Self.line) { response in
                    #expect(response.status == .noContent, "\(auth)")
                }
            }
            try await client.execute(uri: "/write?db=x&precision=s&u=me&p=s3cret", method: .post, body: Self.line) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/v1/devices?p=s3cret", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func missingOrWrongTokensAre401AndStoreNothing() async throws {
        let fixture = try ServerFixture(token: "s3cret")
        try await fixture.test { client in
            for auth in [nil, "Token s3cre", "Token s3cret2", "Bearer ", "Basic " + "user:wrong".base64ForTest, "s3cret"] {
                let fields = auth.map { headers([("Authorization", $0)]) } ?? [:]
                try await client.execute(uri: "/api/v2/write?bucket=b&precision=s", method: .post, headers: fields, body: Self.line) { response in
                    #expect(response.status == .unauthorized, "\(auth ?? "no header")")
                    #expect(response.text.contains("\"code\":\"unauthorized\""))
                }
            }
            for path in ["/api/v1/query?device=d", "/api/v1/last", "/api/v1/devices", "/metrics", "/write?db=x&p=nope"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .unauthorized, "\(path)")
                }
            }
            try await client.execute(uri: "/health", method: .get) { response in #expect(response.status == .ok) }
            try await client.execute(uri: "/ping", method: .get) { response in #expect(response.status == .noContent) }
        }
        #expect(try await fixture.store.devices().isEmpty)
    }

    @Test func constantTimeComparison() {
        #expect(TokenCheck.constantTimeEqual(Array("abc".utf8), Array("abc".utf8)))
        #expect(!TokenCheck.constantTimeEqual(Array("abc".utf8), Array("abd".utf8)))
        #expect(!TokenCheck.constantTimeEqual(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!TokenCheck.constantTimeEqual([], Array("a".utf8)))
        // Lengths that differ by a multiple of 256 must not compare equal.
        #expect(!TokenCheck.constantTimeEqual([UInt8](repeating: 0, count: 256), []))
    }

    @Test func base64Decoding() {
        #expect(Base64.decode("dXNlcjpzM2NyZXQ=") == Array("user:s3cret".utf8))
        #expect(Base64.decode("YQ==") == Array("a".utf8))
        #expect(Base64.decode("not base64!") == nil)
    }
}

extension String {
    /// Standard base64 of the UTF-8 bytes (for building Basic credentials in tests).
    var base64ForTest: String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let bytes = Array(utf8)
        var out = ""
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            var chunk: UInt32 = 0
            for k in 0..<3 { chunk = chunk << 8 | UInt32(k < n ? bytes[i + k] : 0) }
            for k in 0..<4 {
                out.append(k <= n ? table[Int(chunk >> UInt32(18 - 6 * k) & 63)] : "=")
            }
            i += 3
        }
        return out
    }
}
