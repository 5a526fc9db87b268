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
        var number: UInt64
    }

    private let fileSystem: any FileSystem
    private let layout: StoreLayout
    private var files: [Int32: Open] = [:]

    init(fileSystem: any FileSystem, layout: StoreLayout) {
        self.fileSystem = fileSystem
        self.layout = layout
    }

    /// Writes `record` after the day's previous records (or after the committed length in
    /// `manifest`); returns the offset it was written at. A day without a data file gets a
    /// new one, numbered from `manifest`.
    mutating func append(_ record: ByteWriter, day: Int32, manifest: inout Manifest) throws -> Int {
        var open: Open
        if let existing = files[day] {
            open = existing
        } else if let live = manifest.dataFile(ofDay: day) {
            open = Open(file: try fileSystem.open(layout.dataFile(live), [.write]), end: live.committedLength,
                        isNew: false, number: live.number)
            files[day] = open
        } else {
            open = try create(day: day, number: manifest.takeDataFileNumber())
            files[day] = open
        }
        let offset = open.end
        try record.bytes.withUnsafeBytes { try fileSystem.write(open.file, $0, at: offset) }
        open.end += record.count
        files[day] = open
        return offset
    }

    /// Creates a numbered data file for `day` holding just its header; the caller commits it
    /// through ``syncAll(into:)``.
    private func create(day: Int32, number: UInt64) throws -> Open {
        let file = try fileSystem.open(layout.dataFile(day: day, number: number), [.write, .create, .truncate])
        do {
            try DataFile.header(day: day).withUnsafeBytes { try fileSystem.write(file, $0, at: 0) }
        } catch {
            fileSystem.close(file)
            throw error
        }
        return Open(file: file, end: FormatConstants.dataFileHeaderSize, isNew: true, number: number)
    }

    /// Starts a replacement for `day`'s data file under a fresh number: later appends of the
    /// day go to it, and ``syncAll(into:)`` makes it the day's file.
    mutating func replace(day: Int32, manifest: inout Manifest) throws {
        if let old = files.removeValue(forKey: day) { fileSystem.close(old.file) }
        files[day] = try create(day: day, number: manifest.takeDataFileNumber())
    }

    /// The path of the file this set created for `day`, if it created one.
    func createdPath(day: Int32) -> String? {
        guard let open = files[day], open.isNew else { return nil }
        return layout.dataFile(day: day, number: open.number)
    }

    /// Paths of the files this set created (to delete when the commit fails).
    var createdPaths: [String] {
        files.filter(\.value.isNew).map { layout.dataFile(day: $0.key, number: $0.value.number) }
    }

    /// Fsyncs every touched file (by day), and `data/` when one is new; records each
    /// file's new length in `manifest`.
    func syncAll(into manifest: inout Manifest) throws {
        for (day, open) in files.sorted(by: { $0.key < $1.key }) {
            try fileSystem.sync(open.file)
            manifest.setDataFile(Manifest.DataFileState(day: day, committedLength: open.end, number: open.number))
        }
        if files.values.contains(where: \.isNew) { try fileSystem.syncDirectory(layout.dataDirectory) }
    }

    func closeAll() {
        for open in files.values { fileSystem.close(open.file) }
    }
}
