import Foundation
import Testing

/// `ingest --db a/b/c` creates the missing parents, as `mkdir -p` would; a parent that is
/// a file is still an error naming the path (exit 73).
@Suite struct CLIStoreCreationTests {
    @Test func missingParentsAreCreated() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let result = try cli.run(["ingest", "--db", "a/b/c", "--precision", "s"], input: "m,device=d p=1 1767225600")
        #expect(result.status == 0, "\(result.stderr)")
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: cli.path("a/b/c/MANIFEST")))
        #expect(FileManager.default.fileExists(atPath: cli.path("a/b"), isDirectory: &isDirectory) && isDirectory.boolValue)
        let query = try cli.run(["query", "--db", "a/b/c", "--device", "d", "--output", "csv"])
        #expect(csvRows(query.stdout).count == 2)
        // An absolute path with several missing levels, too.
        let absolute = cli.path("x/y/z/store")
        #expect(try cli.run(["ingest", "--db", absolute, "--precision", "s"], input: "m,device=d p=1 1767225600").status == 0)
        #expect(FileManager.default.fileExists(atPath: absolute + "/MANIFEST"))
    }

    @Test func aParentThatIsAFileIsAnError() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        FileManager.default.createFile(atPath: cli.path("plain"), contents: Data("x".utf8))
        let result = try cli.run(["ingest", "--db", "plain/b/c"], input: "m,device=d p=1 1767225600s")
        #expect(result.status == 73)
        #expect(result.stderr.hasPrefix("chunkstore: cannot create plain/b/c"), "\(result.stderr)")
    }
}
