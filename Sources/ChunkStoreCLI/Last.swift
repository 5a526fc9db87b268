import ArgumentParser
import ChunkStore
import ChunkStoreCLICore

struct Last: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "last",
        abstract: "Print the latest reading of one device or of every device.",
        discussion: """
            One row per device: its latest timestamp and the fields that have a value at
            that timestamp (other fields are empty). Answered from the index, so it is
            fast however much data the store holds.

            EXAMPLES
              chunkstore last
              chunkstore last --device meter-001 --output json
              chunkstore last --epoch s --output csv

            \(Sysexit.table)
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("device"), help: ArgumentHelp("Only this device (repeatable).", valueName: "id"))
    var devices: [String] = []

    @OptionGroup var output: OutputOptions

    func run() throws {
        let store = try database.openReader()
        defer { try? store.close() }
        try Listings.latest(store: store, storePath: database.path, devices: devices, format: output.format, epoch: output.epoch)
    }
}
