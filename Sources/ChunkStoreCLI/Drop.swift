import ArgumentParser
import ChunkStore

struct Drop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drop",
        abstract: "Delete whole days (or one device's data) before a time.",
        discussion: """
            Deletes every UTC day that ends at or before --before and gives its space
            back; a day that --before falls inside is kept whole. With --device, only
            that device's chunks of those days go. Rows not yet sealed are sealed first
            and dropped with the rest. Atomic like compact; needs the writer's lock.

            EXAMPLES
              chunkstore drop --before 2026-01-01
              chunkstore drop --before now-90d --device meter-007

            \(Sysexit.table)
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("Drop the days that end at or before this time: RFC 3339, a date, epoch ns, now-90d or -90d.",
                               valueName: "time"))
    var before: String

    @Option(help: ArgumentHelp("Drop only this device's chunks.", valueName: "id"))
    var device: String?

    func run() throws {
        guard let cutoff = try parseTime(before, "--before") else { return }
        if let device {
            let known = try database.openReader().devices()
            _ = try DeviceSelection.resolve([device], in: known, store: database.path)
        }
        let store = try database.openWriter()
        let report = try store.drop(before: cutoff, device: device)
        try store.close()
        let days = report.daysDropped.isEmpty ? "" : " (\(report.daysDropped.first!)\(report.daysDropped.count > 1 ? " .. " + report.daysDropped.last! : ""))"
        StandardStream.output.write("drop: \(database.path): \(report.daysDropped.count) days\(days), \(report.chunksDropped) chunks, \(report.rowsDropped) rows, \(report.bytesReclaimed) bytes reclaimed\n")
    }
}
