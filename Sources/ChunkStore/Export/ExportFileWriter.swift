/// Writes one export file durably and atomically as a stream: bytes go to a hidden
/// temporary name beside it; ``commit()`` fsyncs, renames over the final name and fsyncs
/// the directory. A crash leaves the old file or the new one, never a torn one.
final class ExportFileWriter {
    private let fileSystem: any FileSystem
    private let path: String
    private let temp: String
    private let directory: String
    private var file: FileID?
    private var offset = 0

    /// Bytes written so far.
    var size: Int { offset }

    /// Creates (truncating) the temporary file `directory/.NAME.tmp`.
    init(fileSystem: any FileSystem, directory: String, name: String) throws {
        self.fileSystem = fileSystem
        self.directory = directory
        path = directory + "/" + name
        temp = directory + "/." + name + ".tmp"
        file = try fileSystem.open(temp, [.write, .create, .truncate])
    }

    /// Appends bytes.
    func write(_ bytes: [UInt8]) throws {
        guard let file else { throw StoreError.io(path: temp, operation: "write", reason: "file already closed", errno: 0) }
        try bytes.withUnsafeBytes { try fileSystem.write(file, $0, at: offset) }
        offset += bytes.count
    }

    /// fsync, rename to the final name, fsync the directory.
    func commit() throws {
        guard let file else { return }
        try fileSystem.sync(file)
        fileSystem.close(file)
        self.file = nil
        try fileSystem.rename(temp, to: path)
        try fileSystem.syncDirectory(directory)
    }

    /// Closes and removes the temporary file (after a failure).
    func abandon() {
        if let file { fileSystem.close(file) }
        file = nil
        try? fileSystem.remove(temp)
    }

    deinit { abandon() }
}
