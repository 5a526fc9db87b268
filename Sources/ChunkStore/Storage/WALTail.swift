/// A reader's view of the rows a writer has logged but not yet sealed: it follows the WAL
/// segments read-only, as SQLite readers read its WAL, and never takes the writer's lock.
///
/// Each refresh reads only the bytes appended since the last one. A record that is cut
/// short or fails its checksum at the end of what is there may be one the writer is still
/// writing: reading stops before it and tries again next time, and nothing is ever
/// truncated or repaired. Which records count is decided against a manifest generation in
/// ``head(sealedBy:)``; see Formats/SPEC.md, "Readers of a live store".
final class WALTail {
    private struct Segment {
        /// Bytes consumed: the end of the last intact record (0 before the header is read).
        var consumed = 0
        var groups: [WALGroup] = []
    }

    private let directory: String
    private let fileSystem: any FileSystem
    private var segments: [UInt64: Segment] = [:]
    /// Bumped whenever the set of records changes, so heads are rebuilt only then.
    private(set) var version = 0

    init(directory: String, fileSystem: any FileSystem) {
        self.directory = directory
        self.fileSystem = fileSystem
    }

    /// Reads what the writer appended since the last call. Segments that disappeared (the
    /// writer deletes them once a committed manifest covers their rows) are forgotten.
    func update() throws {
        let present = try WALReader.segments(in: directory, fileSystem: fileSystem)
        let presentSet = Set(present)
        for number in segments.keys where !presentSet.contains(number) {
            segments[number] = nil
            version += 1
        }
        for number in present {
            var segment = segments[number] ?? Segment()
            guard let added = try readNew(number, into: &segment) else {
                segments[number] = nil // deleted while we looked
                continue
            }
            segments[number] = segment
            if added > 0 { version += 1 }
        }
    }

    /// Reads the bytes of segment `number` past `segment.consumed`; returns how many new
    /// records it found, or nil when the segment no longer exists.
    private func readNew(_ number: UInt64, into segment: inout Segment) throws -> Int? {
        let path = WALWriter.path(directory, number)
        let file: FileID
        do { file = try fileSystem.open(path, .read) } catch { return fileSystem.exists(path) ? 0 : nil }
        defer { fileSystem.close(file) }
        let size = try fileSystem.size(file)
        guard size > segment.consumed else { return 0 }
        var bytes = [UInt8](repeating: 0, count: size - segment.consumed)
        let count = try bytes.withUnsafeMutableBytes { try fileSystem.read(file, into: $0, at: segment.consumed) }
        bytes.removeLast(bytes.count - count)
        return try bytes.withUnsafeBytes { buffer throws -> Int in
            var offset = 0
            if segment.consumed == 0 {
                // A header not yet complete (the segment is being created) or damaged holds
                // nothing we can read yet.
                guard try WALReader.headerProblem(buffer, path: path) == nil else { return 0 }
                offset = FormatConstants.walHeaderSize
            }
            var added = 0
            while offset < buffer.count, case .record(let group, let end) = try WALReader.nextRecord(buffer, at: offset) {
                segment.groups.append(group)
                offset = end
                added += 1
            }
            segment.consumed += offset
            return added
        }
    }

    /// The rows not yet sealed by the chunks of `index`: for each device-day, the records
    /// whose LSN is above the highest `wal_lsn` of that device-day's chunks, in log order.
    /// A record that would change a field's type is left out, as recovery would leave it.
    func head(sealedBy index: IndexSet) throws -> Head {
        var head = Head()
        var sealed: [DeviceDay: UInt64] = [:]
        var schemas: [String: [String: FieldType]] = [:]
        for number in segments.keys.sorted() {
            guard let groups = segments[number]?.groups else { continue }
            records: for group in groups {
                let key = DeviceDay(device: group.device, day: group.day)
                let sealedLSN: UInt64
                if let known = sealed[key] { sealedLSN = known } else {
                    sealedLSN = try index.sealedLSN(device: group.device, day: group.day)
                    sealed[key] = sealedLSN
                }
                guard group.lsn > sealedLSN else { continue }
                if schemas[group.device] == nil { schemas[group.device] = try index.schema(of: group.device) }
                for column in group.rows.columns {
                    if let existing = schemas[group.device]?[column.name], existing != column.type { continue records }
                    schemas[group.device]?[column.name] = column.type
                }
                head.add(group, segment: number)
            }
        }
        return head
    }
}
