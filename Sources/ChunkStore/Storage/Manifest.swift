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
    /// Live data files by UTC day, ascending, with the bytes committed in each.
    var dataFiles: [DataFileState] = []

    struct DataFileState: Equatable, Sendable {
        var day: Int32
        var committedLength: Int
    }

    static let fileName = "MANIFEST"

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
        out.appendU32(UInt32(indexSegments.count))
        out.appendU32(UInt32(dataFiles.count))
        for segment in indexSegments { out.appendU64(segment) }
        for file in dataFiles {
            out.appendU32(UInt32(bitPattern: file.day))
            out.appendU32(0)
            out.appendU64(UInt64(file.committedLength))
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
                guard version == FormatConstants.manifestVersion else {
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
                let segmentCount = Int(try reader.readU32())
                let fileCount = Int(try reader.readU32())
                guard segmentCount * 8 + fileCount * 16 == reader.remaining else {
                    throw FormatError(offset: reader.offset, "manifest lists \(segmentCount) segments and \(fileCount) files but holds \(reader.remaining) bytes")
                }
                for _ in 0..<segmentCount { m.indexSegments.append(try reader.readU64()) }
                for _ in 0..<fileCount {
                    let day = Int32(bitPattern: try reader.readU32())
                    _ = try reader.readU32()
                    let length = try reader.readU64()
                    guard length <= UInt64(Int.max) else { throw FormatError(offset: reader.offset - 8, "absurd data file length") }
                    m.dataFiles.append(DataFileState(day: day, committedLength: Int(length)))
                }
                return m
            }
        } catch let error as FormatError {
            throw error.inFile(path, at: 0)
        }
    }

    static func load(from storePath: String, fileSystem: any FileSystem) throws -> Manifest {
        let path = storePath + "/" + fileName
        return try decode(try fileSystem.readAll(path), path: path)
    }

    /// Replaces the manifest atomically; `beforeRename` runs when the old one may stop being in force.
    func save(to storePath: String, fileSystem: any FileSystem, beforeRename: () -> Void = {}) throws {
        try fileSystem.writeAtomically(storePath + "/" + Manifest.fileName, encoded(), directory: storePath,
                                       beforeRename: beforeRename)
    }

    func committedLength(ofDay day: Int32) -> Int? {
        dataFiles.first { $0.day == day }?.committedLength
    }

    mutating func setCommittedLength(_ length: Int, ofDay day: Int32) {
        if let i = dataFiles.firstIndex(where: { $0.day == day }) {
            dataFiles[i].committedLength = length
        } else {
            dataFiles.append(DataFileState(day: day, committedLength: length))
            dataFiles.sort { $0.day < $1.day }
        }
    }
}
