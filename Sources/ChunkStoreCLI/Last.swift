import ArgumentParser
import ChunkStore

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

    @Option(help: ArgumentHelp("Only this device.", valueName: "id"))
    var device: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        let store = try database.openReader()
        defer { try? store.close() }
        let rows = try store.latest(device: device)
        if let device, rows.isEmpty {
            printError("chunkstore: warning: no device \"\(device)\" in \(database.path)")
        }
        let writer = RowWriter(format: output.format, columns: ["device", "time"] + rows.fieldNames, epoch: output.epoch)
        for r in rows.indices {
            writer.row([.text(rows.devices[r]), .time(rows.timestamps[r])] + rows.fieldNames.indices.map { .value(rows.value(r, field: $0)) })
        }
        try writer.finish()
    }
}
