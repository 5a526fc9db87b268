import ArgumentParser
import ChunkStore
import ChunkStoreCLICore

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print the size and shape of the store.",
        discussion: """
            Devices, days with data, sealed chunks, rows and points in them, bytes on
            disk, bytes per point and the duplicate policy, one 'key: value' per line.

            EXAMPLES
              chunkstore info
              CHUNKSTORE_DB=/var/lib/meters chunkstore info

            \(Sysexit.table)
            """
    )

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.openReader()
        defer { try? store.close() }
        let info = try store.info()
        let out = StandardStream.output
        let perPoint = (info.bytesPerPoint * 100).rounded() / 100
        for (key, value) in [
            ("path", store.path),
            ("devices", "\(info.devices)"),
            ("days", "\(info.days)"),
            ("chunks", "\(info.chunks)"),
            ("rows", "\(info.rows)"),
            ("points", "\(info.points)"),
            ("bytes_on_disk", "\(info.bytesOnDisk)"),
            ("data_bytes", "\(info.dataBytes)"),
            ("bytes_per_point", "\(perPoint)"),
            ("files", "\(info.files)"),
            ("duplicate_policy", "\(info.duplicatePolicy)"),
            ("retention", info.retention.map(Retain.format) ?? "off"),
        ] {
            out.write("\(key): \(value)\n")
        }
        try out.finish()
    }
}
