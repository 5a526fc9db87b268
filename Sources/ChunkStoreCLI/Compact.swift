import ArgumentParser
import ChunkStore

struct Compact: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Merge fragmented chunks and reclaim the space of what they replace.",
        discussion: """
            Rewrites every device-day that holds more chunks than its rows need (after
            many small ingests or late rows) or chunks overlapping in time into as few
            chunks as the chunk row limit allows, duplicates resolved by the store's
            policy. Queries answer exactly as before. Atomic: an interruption at any
            moment leaves the old chunks or the new ones, never both or neither, and
            readers keep answering meanwhile. A running writer also compacts on its own
            (see the README). Needs the writer's lock: it waits for no one, so it fails
            with exit 75 while an ingest runs.

            EXAMPLES
              chunkstore compact
              chunkstore compact --db /var/lib/meters

            \(Sysexit.table)
            """
    )

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.openWriter()
        let report = try store.compact()
        try store.close()
        guard report.deviceDaysCompacted > 0 else {
            StandardStream.output.write("compact: \(database.path): nothing to compact\n")
            return
        }
        StandardStream.output.write("compact: \(database.path): \(report.deviceDaysCompacted) device-days merged, chunks \(report.chunksBefore) -> \(report.chunksAfter), data \(report.bytesBefore) -> \(report.bytesAfter) bytes\n")
    }
}
