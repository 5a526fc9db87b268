/// A day's data file: a 16-byte header, then chunk records back to back. Sealed chunks are
/// only ever appended after the committed length recorded in the manifest; bytes past it
/// (a crash mid-append) are not part of the store and are cut off by the next writer.
enum DataFile {
    static func header(day: Int32) -> [UInt8] {
        var out = ByteWriter()
        out.appendU32(FormatConstants.dataFileMagic)
        out.appendU16(FormatConstants.dataFileVersion)
        out.appendU16(0)
        out.appendU32(UInt32(bitPattern: day))
        out.appendU32(CRC32C.checksum(out.bytes))
        return out.bytes
    }

    /// Checks a data file header; returns the day it names.
    static func checkHeader(_ bytes: UnsafeRawBufferPointer, path: String) throws -> Int32 {
        var reader = ByteReader(bytes)
        do {
            guard bytes.count >= FormatConstants.dataFileHeaderSize else { throw FormatError(offset: 0, "data file header cut short") }
            guard try reader.readU32() == FormatConstants.dataFileMagic else { throw FormatError(offset: 0, "not a data file (bad magic)") }
            let version = try reader.readU16()
            guard version == FormatConstants.dataFileVersion else {
                throw StoreError.unsupportedVersion(path: path, found: Int(version), supported: Int(FormatConstants.dataFileVersion))
            }
            _ = try reader.readU16()
            let day = Int32(bitPattern: try reader.readU32())
            guard try reader.readU32() == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<12])) else {
                throw FormatError(offset: 12, "data file header checksum mismatch")
            }
            return day
        } catch let error as FormatError {
            throw error.inFile(path, at: 0)
        }
    }

    /// Reads one chunk record and decodes its header (checksum verified).
    static func readChunk(_ file: FileID, path: String, entry: IndexChunkEntry, fileSystem: any FileSystem) throws -> (record: [UInt8], header: ChunkHeader) {
        guard entry.length >= FormatConstants.chunkFramingSize, entry.length <= FormatConstants.maxChunkBodySize else {
            throw StoreError.corrupt(path: path, offset: entry.offset, reason: "index gives an impossible chunk length \(entry.length)")
        }
        // Not zero-filled first: the read fills it, and a short read throws below.
        var n = 0
        let record = try [UInt8](unsafeUninitializedCapacity: entry.length) { buffer, initialized in
            n = try fileSystem.read(file, into: UnsafeMutableRawBufferPointer(buffer), at: entry.offset)
            initialized = n
        }
        guard n == entry.length else {
            throw StoreError.corrupt(path: path, offset: entry.offset, reason: "chunk of \(entry.length) bytes cut short at \(n) bytes")
        }
        do {
            let header = try record.withUnsafeBytes { try ChunkDecoder.decodeHeader($0) }
            return (record, header)
        } catch let error as FormatError {
            throw error.inFile(path, at: entry.offset)
        }
    }

    /// Walks every chunk record of a data file up to `length`, for `verify` and index rebuilds.
    /// Calls `body` with each record's offset, length and header; a damaged record ends the walk
    /// and is returned as an error with its offset.
    static func scan(path: String, length: Int, fileSystem fs: any FileSystem,
                     _ body: (Int, Int, ChunkHeader) throws -> Void) throws -> StoreError? {
        let bytes = try fs.readAll(path)
        let end = min(length, bytes.count)
        return try bytes.withUnsafeBytes { buffer throws -> StoreError? in
            do { _ = try checkHeader(buffer, path: path) } catch let error as StoreError { return error }
            var offset = FormatConstants.dataFileHeaderSize
            while offset < end {
                guard end - offset >= FormatConstants.chunkFramingSize else {
                    return .corrupt(path: path, offset: offset, reason: "chunk record cut short")
                }
                let bodyLength = Int(buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
                let recordLength = bodyLength + FormatConstants.chunkFramingSize
                guard bodyLength <= FormatConstants.maxChunkBodySize, recordLength <= end - offset else {
                    return .corrupt(path: path, offset: offset, reason: "chunk record of \(recordLength) bytes runs past the end")
                }
                let record = UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + recordLength)])
                do {
                    let header = try ChunkDecoder.decodeHeader(record)
                    let rows = try ChunkDecoder.decodeRows(record, header: header, fields: nil)
                    try ChunkDecoder.checkRollup(record, header: header, rows: rows)
                    try body(offset, recordLength, header)
                } catch let error as FormatError {
                    return error.inFile(path, at: offset)
                }
                offset += recordLength
            }
            return nil
        }
    }
}
