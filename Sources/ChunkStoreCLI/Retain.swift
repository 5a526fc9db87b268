import ArgumentParser
import ChunkStore

struct Retain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retain",
        abstract: "Show or set how long the store keeps data.",
        discussion: """
            With a duration (s, m, h, d or w: 90d, 12w), records it in the store: every
            writer then drops the UTC days that ended more than that long ago, when it
            opens and at least hourly, and refuses rows older than that (each such line
            of an ingest is rejected with the reason). 'off' keeps everything. Without an
            argument, prints the current setting. Setting it drops what is already too
            old at once and needs the writer's lock.

            EXAMPLES
              chunkstore retain 400d
              chunkstore retain off
              chunkstore retain

            \(Sysexit.table)
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp("A duration such as 90d, or 'off'.", valueName: "duration"))
    var period: String?

    func run() throws {
        guard let period else {
            let current = try database.openReader().retention
            StandardStream.output.write("retention: \(current.map(Retain.format) ?? "off")\n")
            return
        }
        let duration = try Retain.parse(period)
        let store = try database.openWriter()
        let report = try store.setRetention(duration)
        try store.close()
        var line = "retention: \(duration.map(Retain.format) ?? "off")"
        if !report.daysDropped.isEmpty {
            line += "; dropped \(report.daysDropped.count) days (\(report.daysDropped.first!) .. \(report.daysDropped.last!)), \(report.rowsDropped) rows, \(report.bytesReclaimed) bytes reclaimed"
        }
        StandardStream.output.write(line + "\n")
    }

    static func parse(_ text: String) throws -> Duration? {
        if text == "off" { return nil }
        let width: BucketWidth
        do { width = try TimeParsing.parseDuration(text) } catch {
            throw CLIError(.usage, "retain: \(error); or 'off'")
        }
        guard case .nanoseconds(let ns) = width else {
            throw CLIError(.usage, "retain: months have no fixed length; give days instead (e.g. 90d)")
        }
        return .nanoseconds(ns)
    }

    /// The largest whole unit: `90d`, `36h`, `1500ms`.
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let ns = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        for (unit, size) in [("w", Int64(604_800_000_000_000)), ("d", 86_400_000_000_000), ("h", 3_600_000_000_000),
                             ("m", 60_000_000_000), ("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000)]
        where ns % size == 0 {
            return "\(ns / size)\(unit)"
        }
        return "\(ns)ns"
    }
}
