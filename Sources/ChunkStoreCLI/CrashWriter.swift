import ArgumentParser
import ChunkStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The writer child of the crash-safety tests (hidden from help): appends numbered batches
/// and prints `ack N` once each append has returned, so the parent knows exactly which
/// batches the store acknowledged before it is killed.
///
/// Batch N holds `--rows` rows of device `dev-(N % 3)` at timestamps `N * 1000 + i` ns,
/// with fields `v = Double(N * 1000 + i) / 8` and `batch = N`: the parent can recompute
/// every value it should find.
struct CrashWriter: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_crash-writer",
        abstract: "Append numbered batches, acknowledging each on stdout (for crash tests).",
        shouldDisplay: false
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "First batch number.")
    var start = 0

    @Option(help: "Number of batches.")
    var batches = 1_000_000

    @Option(help: "Rows per batch.")
    var rows = 20

    @Option(help: "always, interval or none.")
    var sync: Ingest.Sync = .always

    @Option(help: "Rows per device-day before a chunk is sealed (small values seal often).")
    var chunkRows = 200

    @Option(help: "After every N batches, flush and compact (0: never), so kills land in compactions.")
    var compactEvery = 0

    func run() throws {
        var options = StoreOptions()
        options.sync = sync.policy
        options.chunkRowLimit = chunkRows
        let store = try Store.open(at: database.path, options: options)
        for batch in start..<(start + batches) {
            let rowsOfBatch = (0..<rows).map { i in
                let t = Int64(batch) * 1000 + Int64(i)
                return Row(device: "dev-\(batch % 3)", timestamp: t,
                           fields: ["v": .float(Double(t) / 8), "batch": .int(Int64(batch))])
            }
            try store.append(rowsOfBatch)
            let line = "ack \(batch)\n"
            _ = line.withCString { write(1, $0, strlen($0)) }
            if compactEvery > 0 && (batch + 1) % compactEvery == 0 {
                try store.flush()
                _ = try store.compact()
            }
        }
        try store.close()
    }
}
