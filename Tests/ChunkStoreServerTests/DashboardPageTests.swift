import Hummingbird
import HummingbirdTesting
import Testing
@testable import ChunkStoreServer

@Suite struct DashboardPageTests {
    @Test func thePageIsServedWithoutTheTokenAndLoadsNothingFromElsewhere() async throws {
        let fixture = try ServerFixture(token: "s3cret")
        try await fixture.test { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let page = response.text
                for part in ["<svg id=\"chart\"", "id=\"device\"", "id=\"last-table\"", "data-range=\"2592000\"", "/api/v1/query?",
                             "fn: \"mean,min,max\"", "</html>"] {
                    #expect(page.contains(part), "\(part)")
                }
                // Self-contained: no script, style or font from another host.
                #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("src="))
            }
            // The data behind it still needs the token.
            try await client.execute(uri: "/api/v1/last", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }
}
