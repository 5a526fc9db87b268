import Foundation
import Testing
@testable import ChunkStore

/// Compaction and drops over damaged data files (the store of ``CorruptionTests``, seeded
/// bit flips and truncations): a rewrite that meets a damaged chunk fails naming the file
/// and changes nothing, never copying the damage on or dropping rows it could not read;
/// one that succeeds leaves answers equal to the undamaged store's.
@Suite struct CompactionCorruptionTests {
    /// Each query's answer, or its failure, as text.
    static func answers(_ path: String) -> [String] {
        guard let store = try? Store.openReader(at: path) else { return ["unopenable"] }
        return CorruptionTests.queries(store).map { name, query in
            do { return "\(name): \(try query())" } catch { return "\(name) failed: \(error)" }
        }
    }

    @Test(arguments: ["compact", "drop"])
    func rewritesRefuseDamagedChunks(_ operation: String) throws {
        let dir = TemporaryDirectory("corrupt-compact")
        defer { dir.remove() }
        let pristine = dir.child("pristine")
        try CorruptionTests.buildStore(pristine)
        let expected = Self.answers(pristine)
        #expect(!expected.contains { $0.contains("failed") })
        let days = try FileManager.default.contentsOfDirectory(atPath: pristine + "/data").sorted()
        var random = SeededRandom(seed: 0xD1CE)
        var refused = 0, rewritten = 0
        for (trial, attempt) in (0..<40).enumerated() {
            let copy = dir.child("t\(trial)")
            try CorruptionTests.copyStore(pristine, copy)
            defer { try? FileManager.default.removeItem(atPath: copy) }
            let file = "data/" + days[attempt % days.count]
            let how = attempt < 30 ? try CorruptionTests.flipBits(copy + "/" + file, &random)
                                   : try CorruptionTests.truncate(copy + "/" + file, &random)
            let label = "\(operation) with \(file) \(how)"
            let before = Self.answers(copy)
            do {
                // A chunk limit of 1,000 makes every device-day fragmented: compaction reads every chunk.
                let store = try Store.open(at: copy, options: StoreOptions(chunkRowLimit: 1000))
                do {
                    if operation == "compact" {
                        _ = try store.compact()
                    } else {
                        _ = try store.drop(before: CorruptionTests.start + CorruptionTests.dayNanos, device: "m2")
                    }
                    rewritten += 1
                } catch {
                    refused += 1
                    #expect(CorruptionTests.names(error, file), "\(label): failed without naming the file: \(error)")
                    #expect(Self.answers(copy) == before, "\(label): a failed rewrite changed the answers")
                    // The next seal must write its own chunk and nothing the failed rewrite
                    // had encoded (or queued for encoding) before it met the damage.
                    let chunksBefore = try store.info().chunks
                    try store.append([Row(device: "probe", timestamp: CorruptionTests.start, fields: ["v": .int(1)])])
                    try store.flush()
                    #expect(try store.info().chunks == chunksBefore + 1, "\(label): the seal after a failed rewrite wrote more than its chunk")
                    try? store.close()
                    continue
                }
                try store.close()
            } catch {
                // Opening as writer checks committed lengths: a cut file is named there.
                #expect(CorruptionTests.names(error, file), "\(label): open failed without naming the file: \(error)")
                refused += 1
                continue
            }
            let after = Self.answers(copy)
            if operation == "compact" {
                #expect(after == expected, "\(label): compaction succeeded but answers changed")
            } else {
                #expect(after[0] == before[0] && after[2] == before[2], "\(label): the drop changed m1")
            }
        }
        print("CompactionCorruption \(operation): \(refused) refused naming the file, \(rewritten) rewritten cleanly")
        #expect(refused > 0)
    }
}
