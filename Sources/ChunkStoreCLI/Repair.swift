import ArgumentParser
import ChunkStore
import ChunkStoreCLICore

struct Repair: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Rebuild the index from the data files, keeping every intact chunk.",
        discussion: """
            Walks every data file, keeps each chunk whose checksums and structure check
            out, rewrites a data file that had damaged chunks without them (the damaged
            original is moved into DB/damaged/), and writes a fresh index and manifest
            (a lost manifest is rebuilt too). Rows still in the write-ahead log are kept
            and replayed by the next writer. Needs the writer's lock: stop ingests first.
            Exits 0 when nothing was damaged, 65 when damaged chunks were dropped.

            EXAMPLES
              chunkstore verify || chunkstore repair
              chunkstore repair --db /var/lib/meters

            \(Sysexit.table)
            """
    )

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        _ = try database.openReaderOrDirectory()
        let report = try Store.repair(at: database.path)
        for line in report.damaged { printError("chunkstore: dropped: \(line)") }
        for path in report.movedAside { printError("chunkstore: moved aside: \(path)") }
        let rebuilt = report.manifestRebuilt ? " (manifest rebuilt)" : ""
        StandardStream.output.write("repaired: \(database.path): \(report.chunksKept) chunks kept, \(report.damaged.count) damaged dropped\(rebuilt)\n")
        if !report.damaged.isEmpty {
            throw CLIError(.dataError, "\(database.path): \(report.damaged.count) damaged chunk record(s) dropped")
        }
    }
}
