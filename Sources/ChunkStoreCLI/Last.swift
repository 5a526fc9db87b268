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

    @Option(name: .customLong("device"), help: ArgumentHelp("Only this device (repeatable).", valueName: "id"))
    var devices: [String] = []

    @OptionGroup var output: OutputOptions

    func run() throws {
        let store = try database.openReader()
        defer { try? store.close() }
        let rows = try store.latest()
        // Rows to print: every device, or the named ones in the order given (then the columns
        // are the fields that have a value in at least one printed row).
        var selected = Array(rows.indices)
        if !devices.isEmpty {
            let resolved = try DeviceSelection.resolve(devices, in: try store.devices(), store: database.path)
            let rowOf = Dictionary(rows.indices.map { (rows.devices[$0], $0) }, uniquingKeysWith: { a, _ in a })
            selected = resolved.compactMap { rowOf[$0.device] }
        }
        let fields = devices.isEmpty ? Array(rows.fieldNames.indices)
            : rows.fieldNames.indices.filter { f in selected.contains { rows.value($0, field: f) != nil } }
        let writer = RowWriter(format: output.format, columns: ["device", "time"] + fields.map { rows.fieldNames[$0] },
                               epoch: output.epoch)
        for r in selected {
            writer.row([.text(rows.devices[r]), .time(rows.timestamps[r])] + fields.map { .value(rows.value(r, field: $0)) })
        }
        try writer.finish()
    }
}
