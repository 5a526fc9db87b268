/// The data files one commit appends chunk records to.
///
/// Each record is written as soon as it is encoded, from the encoder's reused buffer,
/// instead of collecting a whole day's records in a growing buffer first (a second copy
/// of everything sealed, and fresh memory to touch). Files are opened on first use (a
/// new one gets its header first) and stay open until ``closeAll()``; nothing written
/// counts before ``syncAll(into:)`` records the new lengths in the manifest to commit.
struct DataFileAppends {
    private struct Open {
        var file: FileID
        var end: Int
        var isNew: Bool
    }

    private let fileSystem: any FileSystem
    private let layout: StoreLayout
    private var files: [Int32: Open] = [:]

    init(fileSystem: any FileSystem, layout: StoreLayout) {
        self.fileSystem = fileSystem
        self.layout = layout
    }

    /// Writes `record` after the day's previous records (or after the committed length in
    /// `manifest`); returns the offset it was written at.
    mutating func append(_ record: ByteWriter, day: Int32, manifest: Manifest) throws -> Int {
        var open: Open
        if let existing = files[day] {
            open = existing
        } else {
            open = try self.open(day: day, committedLength: manifest.committedLength(ofDay: day))
            files[day] = open
        }
        let offset = open.end
        try record.bytes.withUnsafeBytes { try fileSystem.write(open.file, $0, at: offset) }
        open.end += record.count
        files[day] = open
        return offset
    }

    private func open(day: Int32, committedLength: Int?) throws -> Open {
        let path = layout.dataFile(day: day)
        guard let length = committedLength else {
            let file = try fileSystem.open(path, [.write, .create, .truncate])
            do {
                try DataFile.header(day: day).withUnsafeBytes { try fileSystem.write(file, $0, at: 0) }
            } catch {
                fileSystem.close(file)
                throw error
            }
            return Open(file: file, end: FormatConstants.dataFileHeaderSize, isNew: true)
        }
        return Open(file: try fileSystem.open(path, [.write]), end: length, isNew: false)
    }

    /// Fsyncs every touched file (by day), and `data/` when one is new; records each
    /// file's new length in `manifest`.
    func syncAll(into manifest: inout Manifest) throws {
        for (day, open) in files.sorted(by: { $0.key < $1.key }) {
            try fileSystem.sync(open.file)
            manifest.setCommittedLength(open.end, ofDay: day)
        }
        if files.values.contains(where: \.isNew) { try fileSystem.syncDirectory(layout.dataDirectory) }
    }

    func closeAll() {
        for open in files.values { fileSystem.close(open.file) }
    }
}
