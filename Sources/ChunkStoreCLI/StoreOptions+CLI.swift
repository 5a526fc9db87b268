import ArgumentParser
import ChunkStore
import ChunkStoreCLICore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--db`, shared by every subcommand through `@OptionGroup`.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Store directory (default: $CHUNKSTORE_DB, else ./chunkstore-data).", valueName: "path"))
    var db: String?

    /// The store path: `--db`, else `$CHUNKSTORE_DB` when set and non-empty, else `./chunkstore-data`.
    var path: String { Self.path(db: db) }

    /// The store path for a `--db` value (nil when not given).
    static func path(db: String?) -> String {
        if let db { return db }
        if let env = getenv("CHUNKSTORE_DB"), env.pointee != 0 { return String(cString: env) }
        return "./chunkstore-data"
    }

    func validate() throws {
        if let db, db.isEmpty { throw ValidationError("--db must not be empty") }
    }

    /// Opens the existing store read-only, failing with exit 66 when there is none.
    /// Readers never take the writer's lock, so queries work while an ingest runs.
    func openReader() throws -> Store {
        try Self.openReader(path: path)
    }

    /// ``openReader()`` for a resolved store path.
    static func openReader(path: String) throws -> Store {
        var info = stat()
        guard stat(path, &info) == 0 else { throw CLIError(.noInput, "no store at \(path)") }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw CLIError(.noInput, "\(path) is not a store directory") }
        do {
            return try Store.openReader(at: path)
        } catch .storeNotFound {
            throw CLIError(.noInput, "no store at \(path) (the directory has no manifest)")
        }
    }
}

extension DatabaseOptions {
    /// Opens the existing store as its writer (exit 66 when there is none, 75 while another
    /// writer holds it), for commands that change what is stored.
    func openWriter() throws -> Store {
        _ = try openReaderOrDirectory()
        var options = StoreOptions()
        options.createIfMissing = false
        return try Store.open(at: path, options: options)
    }

    /// Checks that the store directory exists (exit 66 otherwise), without needing a
    /// readable manifest: what `repair` needs.
    func openReaderOrDirectory() throws -> String {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { throw CLIError(.noInput, "no store at \(path)") }
        return path
    }
}
