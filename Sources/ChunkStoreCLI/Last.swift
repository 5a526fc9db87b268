import ArgumentParser
import ChunkStore

struct Last: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the latest reading of one device or of every device.",
        discussion: """
            One row per device: its latest timestamp and the fields that have a value at
            that timestamp (other fields are empty). Answered from the index, so it is
            fast however much data the store holds.

            --device is repeatable; --field takes comma lists and is repeatable. A
            device or field that is not in the store exits 66, with a "did you mean"
            suggestion when a stored name is close.

            EXAMPLES
              chunkstore last
              chunkstore last --device meter-001 --output json
              chunkstore last --device meter-001 --device meter-002 --field power_w
              chunkstore last --epoch s --output csv

            \(Sysexit.table)
            """
    )

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var selection: SelectionOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        let request = try QueryRequest(selection: selection, now: nowNanoseconds())
        let store = try database.openReader()
        defer { try? store.close() }
        _ = try request.select(from: store.devices())
        var latest: [LatestRow] = []
        if let devices = request.devices {
            for device in devices { latest += try store.latest(device: device).map { $0 } }
        } else {
            latest = try store.latest().map { $0 }
        }
        let names = request.fields.isEmpty
            ? Set(latest.flatMap(\.fields.keys)).sorted { $0.precedesInBytes($1) }
            : request.fields
        let writer = RowWriter(format: output.format, columns: ["device", "time"] + names, epoch: output.epoch)
        for row in latest {
            writer.row([.text(row.device), .time(row.timestamp)] + names.map { .value(row.fields[$0]) })
        }
        try writer.finish()
    }
}
