import ArgumentParser
import ChunkStore
import ChunkStoreCLICore

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every checksum and structure of the store.",
        discussion: """
            Reads the manifest, every index segment, every chunk of every data file (fully
            decoded) and the write-ahead log. Prints 'ok' and exits 0 when the store is
            clean; otherwise prints each problem with its file and offset on stderr and
            exits 65.

            EXAMPLES
              chunkstore verify
              chunkstore verify --db /var/lib/meters || alert "store damaged"

            \(Sysexit.table)
            """
    )

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.openReader()
        defer { try? store.close() }
        let problems = try store.verify()
        guard problems.isEmpty else {
            for problem in problems { printError("chunkstore: \(problem)") }
            throw CLIError(.dataError, "\(store.path): \(problems.count) problem\(problems.count == 1 ? "" : "s") found")
        }
        let info = try store.info()
        StandardStream.output.write("ok: \(store.path): \(info.chunks) chunks, \(info.rows) rows, \(info.files) files checked\n")
    }
}
