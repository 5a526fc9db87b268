/// The store's single source of truth for which files are live: the index segments,
/// each day's data file with its committed length, and the counters that must survive a
/// restart. Replaced only by write-new, fsync, rename, fsync of the directory.
struct Manifest: Equatable, Sendable {
    var generation: UInt64 = 0
    var duplicatePolicy: DuplicatePolicy = .last
    /// Sequence number the next sealed chunk gets.
    var nextChunkSequence: UInt64 = 1
    /// Highest WAL LSN ever sealed into a chunk; new LSNs start above it.
    var lsnHighWater: UInt64 = 0
    /// Number the next index segment file gets.
    var nextIndexSegment: UInt64 = 1
    /// Live index segments, oldest (lowest chunk sequences) first.
    var indexSegments: [UInt64] = []
    /// Number the next data file gets (a day's file is replaced by a newly numbered one
    /// when compaction or a drop rewrites it; numbers are never reused).
    var nextDataFile: UInt64 = 1
    /// Rows older than this many nanoseconds before now are rejected and whole days older
    /// than it are dropped; 0: keep everything.
    var retention: Int64 = 0
    /// Live data files by UTC day, ascending, with the bytes committed in each.
    var dataFiles: [DataFileState] = []

    struct DataFileState: Equatable, Sendable {
        var day: Int32
        var committedLength: Int
        /// 0 for a file written by format version 1 (`data/YYYY-MM-DD.csd`), else the
        /// file's number (`data/YYYY-MM-DD.<16 hex>.csd`).
        var number: UInt64 = 0
    }


    func encoded() -> [UInt8] {
        var out = ByteWriter()
        out.appendU32(FormatConstants.manifestMagic)
        out.appendU16(FormatConstants.manifestVersion)
        out.appendU16(0)
        out.appendU64(generation)
        out.appendU8(duplicatePolicy.rawValue)
        for _ in 0..<7 { out.appendU8(0) }
        out.appendU64(nextChunkSequence)
        out.appendU64(lsnHighWater)
        out.appendU64(nextIndexSegment)
        out.appendU64(nextDataFile)
        out.appendU64(UInt64(bitPattern: retention))
        out.appendU32(UInt32(indexSegments.count))
        out.appendU32(UInt32(dataFiles.count))
        for segment in indexSegments { out.appendU64(segment) }
        for file in dataFiles {
            out.appendU32(UInt32(bitPattern: file.day))
            out.appendU32(0)
            out.appendU64(UInt64(file.committedLength))
            out.appendU64(file.number)
        }
        out.appendU32(CRC32C.checksum(out.bytes))
        return out.bytes
    }

    static func decode(_ bytes: [UInt8], path: String) throws -> Manifest {
        do {
            return try bytes.withUnsafeBytes { buffer throws -> Manifest in
                guard buffer.count >= 4 else { throw FormatError(offset: 0, "manifest is cut short") }
                let body = UnsafeRawBufferPointer(rebasing: buffer[0..<(buffer.count - 4)])
                var crcReader = ByteReader(UnsafeRawBufferPointer(rebasing: buffer[(buffer.count - 4)...]))
                guard try crcReader.readU32() == CRC32C.checksum(body) else {
                    throw FormatError(offset: buffer.count - 4, "manifest checksum mismatch")
                }
                var reader = ByteReader(body)
                guard try reader.readU32() == FormatConstants.manifestMagic else { throw FormatError(offset: 0, "not a manifest (bad magic)") }
                let version = try reader.readU16()
                guard version == 1 || version == FormatConstants.manifestVersion else {
                    throw StoreError.unsupportedVersion(path: path, found: Int(version), supported: Int(FormatConstants.manifestVersion))
                }
                _ = try reader.readU16()
                var m = Manifest()
                m.generation = try reader.readU64()
                let policyOffset = reader.offset
                guard let policy = DuplicatePolicy(rawValue: try reader.readU8()) else {
                    throw FormatError(offset: policyOffset, "unknown duplicate policy")
                }
                m.duplicatePolicy = policy
                _ = try reader.readBytes(7)
                m.nextChunkSequence = try reader.readU64()
                m.lsnHighWater = try reader.readU64()
                m.nextIndexSegment = try reader.readU64()
                if version >= 2 {
                    m.nextDataFile = try reader.readU64()
                    let retentionOffset = reader.offset
                    m.retention = Int64(bitPattern: try reader.readU64())
                    guard m.retention >= 0 else { throw FormatError(offset: retentionOffset, "negative retention period") }
                }
                let segmentCount = Int(try reader.readU32())
                let fileCount = Int(try reader.readU32())
                let fileEntrySize = version >= 2 ? 24 : 16
                guard segmentCount <= reader.remaining / 8, fileCount <= reader.remaining / fileEntrySize,
                      segmentCount * 8 + fileCount * fileEntrySize == reader.remaining else {
                    throw FormatError(offset: reader.offset, "manifest lists \(segmentCount) segments and \(fileCount) files but holds \(reader.remaining) bytes")
                }
                for _ in 0..<segmentCount { m.indexSegments.append(try reader.readU64()) }
                for _ in 0..<fileCount {
                    let day = Int32(bitPattern: try reader.readU32())
                    _ = try reader.readU32()
                    let length = try reader.readU64()
                    guard length <= UInt64(Int.max) else { throw FormatError(offset: reader.offset - 8, "absurd data file length") }
                    let number = version >= 2 ? try reader.readU64() : 0
                    guard number < m.nextDataFile || number == 0 else {
                        throw FormatError(offset: reader.offset - 8, "data file number \(number) is not below next_data_file \(m.nextDataFile)")
                    }
                    if let previous = m.dataFiles.last, previous.day >= day {
                        throw FormatError(offset: reader.offset - fileEntrySize, "data files are not in ascending day order")
                    }
                    m.dataFiles.append(DataFileState(day: day, committedLength: Int(length), number: number))
                }
                return m
            }
        } catch let error as FormatError {
            throw error.inFile(path, at: 0)
        }
    }

    static func load(from storePath: String, fileSystem: any FileSystem) throws -> Manifest {
        let path = StoreLayout(root: storePath).manifest
        return try decode(try fileSystem.readAll(path), path: path)
    }

    /// Replaces the manifest atomically; `beforeRename` runs when the old one may stop being in force.
    func save(to storePath: String, fileSystem: any FileSystem, beforeRename: () -> Void = {}) throws {
        try fileSystem.writeAtomically(StoreLayout(root: storePath).manifest, encoded(), directory: storePath,
                                       beforeRename: beforeRename)
    }

    /// The live data file of `day`, if the day has one.
    func dataFile(ofDay day: Int32) -> DataFileState? {
        var low = 0, high = dataFiles.count
        while low < high {
            let mid = (low + high) / 2
            if dataFiles[mid].day < day { low = mid + 1 } else { high = mid }
        }
        return low < dataFiles.count && dataFiles[low].day == day ? dataFiles[low] : nil
    }

    /// Records `file` as the day's live data file, replacing any other.
    mutating func setDataFile(_ file: DataFileState) {
        if let i = dataFiles.firstIndex(where: { $0.day == file.day }) {
            dataFiles[i] = file
        } else {
            dataFiles.append(file)
            dataFiles.sort { $0.day < $1.day }
        }
    }

    /// Takes a fresh data file number.
    mutating func takeDataFileNumber() -> UInt64 {
        defer { nextDataFile += 1 }
        return nextDataFile
    }
}
