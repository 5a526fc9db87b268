/// What replaying the WAL found.
public struct RecoveryReport: Sendable, Hashable {
    /// WAL records read back.
    public var recordsReplayed = 0
    /// Rows put back into the head (records already sealed into chunks are skipped).
    public var rowsRecovered = 0
    /// Damage found and cut off: file, offset and why. A torn tail after a crash shows up here.
    public var truncations: [String] = []

    /// An empty report.
    public init() {}
}

/// Reads WAL segments back in order. A record that is cut short or fails its checksum
/// ends its segment: the last segment is truncated there (a torn tail after a crash);
/// damage in an older segment is reported and the rest of that segment skipped.
enum WALReader {
    /// Segment numbers present in `directory`, ascending.
    static func segments(in directory: String, fileSystem: any FileSystem) throws -> [UInt64] {
        try fileSystem.list(directory).compactMap(StoreLayout.walSegmentNumber(fromName:)).sorted()
    }

    /// Checks every segment without changing anything; damage goes into `report`.
    static func scanOnly(directory: String, fileSystem fs: any FileSystem, report: inout RecoveryReport) throws {
        try replay(directory: directory, fileSystem: fs, report: &report, truncateTail: false) { _ in }
    }

    /// Calls `body` for every intact rows record, in order.
    static func replay(directory: String, fileSystem fs: any FileSystem, report: inout RecoveryReport,
                       truncateTail: Bool = true, _ body: (WALGroup) throws -> Void) throws {
        let numbers = try segments(in: directory, fileSystem: fs)
        for (position, number) in numbers.enumerated() {
            let path = WALWriter.path(directory, number)
            let bytes = try fs.readAll(path)
            let isLast = position == numbers.count - 1
            let goodEnd = try bytes.withUnsafeBytes { buffer throws -> Int? in
                try scan(buffer, path: path, report: &report, body)
            }
            guard let goodEnd else { continue }
            if isLast && truncateTail {
                let file = try fs.open(path, [.write])
                defer { fs.close(file) }
                try fs.truncate(file, to: goodEnd)
                try fs.sync(file)
            }
        }
    }

    /// Replays one segment; returns the offset where damage starts, or nil when intact.
    private static func scan(_ buffer: UnsafeRawBufferPointer, path: String, report: inout RecoveryReport,
                             _ body: (WALGroup) throws -> Void) throws -> Int? {
        func damaged(_ offset: Int, _ reason: String) -> Int {
            report.truncations.append("\(path): offset \(offset): \(reason)")
            return offset
        }
        // A segment created but never given its header (crash at creation) holds nothing.
        if buffer.count == 0 { return nil }
        if let problem = try headerProblem(buffer, path: path) { return damaged(0, problem) }

        var offset = FormatConstants.walHeaderSize
        while offset < buffer.count {
            switch try nextRecord(buffer, at: offset) {
            case .record(let group, let end):
                report.recordsReplayed += 1
                try body(group)
                offset = end
            case .damaged(let at, let reason):
                return damaged(at, reason)
            }
        }
        return nil
    }

    /// What the bytes at an offset of a segment hold.
    enum Frame {
        /// An intact rows record, ending at `end`.
        case record(WALGroup, end: Int)
        /// A record cut short, failing its checksum, of unknown type or not decoding. At the
        /// end of the newest segment this may be a record still being written.
        case damaged(at: Int, reason: String)
    }

    /// Checks the segment header at the start of `buffer`: nil when intact, else why not.
    /// Throws for a version this code does not know.
    static func headerProblem(_ buffer: UnsafeRawBufferPointer, path: String) throws -> String? {
        var header = ByteReader(buffer)
        guard buffer.count >= FormatConstants.walHeaderSize,
              (try? header.readU32()) == FormatConstants.walMagic else { return "bad WAL segment header" }
        let version = try header.readU16()
        guard Int(version) <= Int(FormatConstants.walVersion) else {
            throw StoreError.unsupportedVersion(path: path, found: Int(version), supported: Int(FormatConstants.walVersion))
        }
        let headerCRC = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buffer[0..<16]))
        var crcReader = ByteReader(UnsafeRawBufferPointer(rebasing: buffer[16..<20]))
        guard try crcReader.readU32() == headerCRC else { return "WAL segment header checksum mismatch" }
        return nil
    }

    /// Reads the framed record at `offset` (which must be below `buffer.count`).
    static func nextRecord(_ buffer: UnsafeRawBufferPointer, at offset: Int) throws -> Frame {
        guard buffer.count - offset >= FormatConstants.walRecordHeaderSize else {
            return .damaged(at: offset, reason: "record header cut short")
        }
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: buffer[offset...]))
        let storedCRC = try reader.readU32()
        let length = Int(try reader.readU32())
        let type = try reader.readU8()
        guard length <= FormatConstants.maxWalRecordSize, length <= reader.remaining else {
            return .damaged(at: offset, reason: "record of \(length) bytes cut short")
        }
        let covered = UnsafeRawBufferPointer(rebasing: buffer[(offset + 4)..<(offset + 9 + length)])
        guard CRC32C.checksum(covered) == storedCRC else { return .damaged(at: offset, reason: "record checksum mismatch") }
        guard type == FormatConstants.walRecordTypeRows else { return .damaged(at: offset, reason: "unknown record type \(type)") }
        let payload = UnsafeRawBufferPointer(rebasing: buffer[(offset + 9)..<(offset + 9 + length)])
        do {
            return .record(try WALRecord.decodeRows(payload), end: offset + 9 + length)
        } catch let error as FormatError {
            return .damaged(at: offset + 9 + error.offset, reason: error.reason)
        }
    }
}
