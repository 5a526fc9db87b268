import ChunkStore
import Foundation
import Testing

/// A writer process seals chunks continuously while this process reads the same store in a
/// loop: a reader must never fail, never see part of a batch, a row twice or a row vanish.
@Suite struct ConcurrentReaderTests {
    /// `compactEvery`: the writer also flushes and compacts every few batches, replacing the
    /// data file the reader has open (SPEC §8, "Readers and rewrites").
    @Test(arguments: [0, 3])
    func readerInAnotherProcessSeesConsistentSnapshots(compactEvery: Int) throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = cli.path("shared-store")
        let batches = 600, rows = 20
        // Create the store first, so the reader can open it while the writer runs.
        try cli.run(["_crash-writer", "--db", db, "--batches", "1", "--rows", "\(rows)"])
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: try CLI.requireExecutable())
        writer.arguments = ["_crash-writer", "--db", db, "--start", "1", "--batches", "\(batches - 1)",
                            "--rows", "\(rows)", "--chunk-rows", "60", "--sync", "none", "--compact-every", "\(compactEvery)"]
        writer.standardOutput = FileHandle.nullDevice
        try writer.run()

        let reader = try Store.openReader(at: db)
        var seen = [String: Int]()
        var queries = 0
        var finished = false
        while !finished {
            finished = !writer.isRunning
            for device in ["dev-0", "dev-1", "dev-2"] {
                let range = try reader.range(device: device, fields: ["batch", "v"])
                queries += 1
                #expect(zip(range.timestamps, range.timestamps.dropFirst()).allSatisfy { $0 < $1 }, "a row seen twice")
                var perBatch: [Int64: Int] = [:]
                for (r, t) in range.timestamps.enumerated() {
                    perBatch[t / 1000, default: 0] += 1
                    #expect(range.values[1][r] == .float(Double(t) / 8))
                }
                #expect(perBatch.values.allSatisfy { $0 == rows }, "part of a batch visible")
                #expect(range.count >= seen[device, default: 0], "rows vanished from \(device)")
                seen[device] = range.count
            }
        }
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        let total = try ["dev-0", "dev-1", "dev-2"].reduce(0) { $0 + (try reader.range(device: $1).count) }
        #expect(total == batches * rows)
        #expect(try reader.verify().isEmpty)
        print("concurrent reader: \(queries) queries while the writer sealed \(batches * rows) rows\(compactEvery > 0 ? " and compacted every \(compactEvery) batches" : "")")
    }
}
