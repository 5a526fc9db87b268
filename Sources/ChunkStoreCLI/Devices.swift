import ArgumentParser
import ChunkStore
import ChunkStoreCLICore

struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List the devices in the store with their fields, time span and row count.",
        discussion: """
            Columns: device, fields (NAME:TYPE separated by spaces; in JSON an array of
            {"name", "type"} objects), first and last
            timestamp, rows and points (values present), both after duplicates are
            resolved: what a query over all time returns.

            EXAMPLES
              chunkstore devices
              chunkstore devices --output json
              chunkstore devices --output csv | cut -d, -f1

            \(Sysexit.table)
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let store = try database.openReader()
        defer { try? store.close() }
        try Listings.devices(store: store, format: output.format, epoch: output.epoch)
    }
}
