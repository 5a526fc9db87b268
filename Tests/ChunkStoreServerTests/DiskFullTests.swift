import Hummingbird
import HummingbirdTesting
import Testing
@testable import ChunkStore
@testable import ChunkStoreServer

/// A disk that fills under a running server (ENOSPC injected through the store's file
/// system): the write that hits it is 507 naming the store and the file, so are the writes
/// after it, reads go on, and every write answered 204 before is stored.
/// `scripts/test-serve-full-disk.sh` does the same on a real tmpfs that fills.
@Suite struct DiskFullTests {
    @Test func aFullDiskIs507AndEveryAcknowledgedRowStays() async throws {
        let disk = FullDiskFileSystem()
        var options = StoreOptions()
        options.fileSystem = disk
        options.sync = .always
        let fixture = try ServerFixture(options: options)
        try await fixture.test { client in
            for second in 0..<3 {
                let body = ByteBuffer(string: "m,device=kept v=\(second) \(1767225600 + second)\n")
                try await client.execute(uri: "/write?db=x&precision=s", method: .post, body: body) { response in
                    #expect(response.status == .noContent)
                }
            }
            disk.fill()
            try await client.execute(uri: "/write?db=x&precision=s", method: .post,
                                     body: ByteBuffer(string: "m,device=refused v=1 1767225600\n")) { response in
                #expect(response.status.code == 507)
                #expect(response.text.hasPrefix("{\"code\":\"insufficient storage\",\"message\":\"the store \(fixture.directory) is out of disk space"))
                #expect(response.text.contains("No space left on device"))
                #expect(response.text.contains("\(fixture.directory)/"), "the file that could not grow is named")
            }
            // The store stops writing after a failed log write; the answer still says why.
            try await client.execute(uri: "/api/v2/write?bucket=b&precision=s", method: .post,
                                     body: ByteBuffer(string: "m,device=later v=1 1767225600\n")) { response in
                #expect(response.status.code == 507)
                #expect(response.text.contains("stopped writing when its disk filled"))
                #expect(response.text.contains("No space left on device"))
            }
            try await client.execute(uri: "/api/v1/query?device=kept&epoch=s", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("1767225602"))
            }
        }
        #expect(try await fixture.store.range(device: "kept").count == 3)
        #expect(try await fixture.store.devices().map(\.device) == ["kept"])
    }
}
