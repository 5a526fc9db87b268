#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A memory-mapped, read-only index segment. Opening checks only the 64-byte header;
/// each entry carries its own checksum, and each device entry the checksum of its heap
/// records, checked when the entry is read, so open time does not grow with the index.
final class IndexSegment: @unchecked Sendable {
    let number: UInt64
    let path: String
    let deviceCount: Int
    let chunkCount: Int
    private let region: MappedRegion
    private let deviceTableOffset: Int
    private let chunkTableOffset: Int
    let heapOffset: Int
    let heapLength: Int


    init(path: String, number: UInt64, fileSystem fs: any FileSystem) throws {
        self.path = path
        self.number = number
        let file = try fs.open(path, .read)
        defer { fs.close(file) }
        let size = try fs.size(file)
        guard size >= FormatConstants.indexHeaderSize + 4 else {
            throw StoreError.corrupt(path: path, offset: 0, reason: "index segment of \(size) bytes is too short")
        }
        region = try fs.map(file, length: size)
        let bytes = region.bytes
        var reader = ByteReader(bytes)
        do {
            guard try reader.readU32() == FormatConstants.indexMagic else { throw FormatError(offset: 0, "not an index segment (bad magic)") }
            let version = try reader.readU16()
            guard version == FormatConstants.indexVersion else {
                throw StoreError.unsupportedVersion(path: path, found: Int(version), supported: Int(FormatConstants.indexVersion))
            }
            guard Int(try reader.readU16()) == FormatConstants.indexChunkEntrySize else { throw FormatError(offset: 6, "unexpected entry size") }
            let storedNumber = try reader.readU64()
            deviceCount = Int(try reader.readU32())
            chunkCount = Int(try reader.readU32())
            deviceTableOffset = Int(truncatingIfNeeded: try reader.readU64())
            chunkTableOffset = Int(truncatingIfNeeded: try reader.readU64())
            heapOffset = Int(truncatingIfNeeded: try reader.readU64())
            heapLength = Int(truncatingIfNeeded: try reader.readU64())
            _ = try reader.readU32()
            let headerCRC = try reader.readU32()
            guard headerCRC == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<60])) else {
                throw FormatError(offset: 60, "index header checksum mismatch")
            }
            guard storedNumber == number,
                  deviceTableOffset == FormatConstants.indexHeaderSize,
                  chunkTableOffset == deviceTableOffset + deviceCount * FormatConstants.indexDeviceEntrySize,
                  heapOffset == chunkTableOffset + chunkCount * FormatConstants.indexChunkEntrySize,
                  heapLength >= 0, heapOffset + heapLength + 4 == size else {
                throw FormatError(offset: 8, "index header does not match the file's size and layout")
            }
        } catch let error as FormatError {
            throw error.inFile(path, at: 0)
        }
    }

    // MARK: Devices

    struct DeviceEntry {
        var index: Int
        var nameOffset: Int
        var nameLength: Int
        var fieldCount: Int
        var fieldsOffset: Int
        var firstChunk: Int
        var chunkCount: Int
        var latestOffset: Int
        var minTimestamp: Int64
        var maxTimestamp: Int64
        var rows: Int
        var points: Int
        var heapCRC: UInt32
    }

    /// Binary search by device name bytes.
    func findDevice(_ name: String) throws -> DeviceEntry? {
        var key = name
        return try key.withUTF8 { keyBytes throws -> DeviceEntry? in
            var low = 0, high = deviceCount
            while low < high {
                let mid = (low + high) / 2
                let entry = try device(at: mid)
                let candidate = try heapBytes(entry.nameOffset, entry.nameLength)
                let order = compareBytes(candidate, UnsafeRawBufferPointer(keyBytes))
                if order == 0 { return entry }
                if order < 0 { low = mid + 1 } else { high = mid }
            }
            return nil
        }
    }

    func device(at index: Int) throws -> DeviceEntry {
        let base = deviceTableOffset + index * FormatConstants.indexDeviceEntrySize
        var r = try checkedEntry(at: base, what: "device entry \(index)")
        let e = DeviceEntry(index: index, nameOffset: Int(try r.readU32()), nameLength: Int(try r.readU16()),
                            fieldCount: Int(try r.readU16()), fieldsOffset: Int(try r.readU32()),
                            firstChunk: Int(try r.readU32()), chunkCount: Int(try r.readU32()),
                            latestOffset: Int(try r.readU32()), minTimestamp: try r.readI64(), maxTimestamp: try r.readI64(),
                            rows: Int(truncatingIfNeeded: try r.readU64()), points: Int(truncatingIfNeeded: try r.readU64()),
                            heapCRC: try r.readU32())
        guard e.firstChunk <= chunkCount, e.chunkCount <= chunkCount - e.firstChunk else {
            throw StoreError.corrupt(path: path, offset: base, reason: "device entry \(index) points outside the chunk table")
        }
        // Counts are summed across segments and devices: absurd ones would overflow there.
        guard e.rows >= 0, e.rows <= Self.maxCount, e.points >= 0, e.points <= Self.maxCount else {
            throw StoreError.corrupt(path: path, offset: base + 40, reason: "device entry \(index) has absurd row or point counts")
        }
        try checkHeapRecords(of: e)
        return e
    }

    /// Upper bound on a device's rows or points within one segment (2^48), far above any real
    /// store, low enough that sums over segments and devices cannot overflow.
    static let maxCount = 1 << 48

    func name(of entry: DeviceEntry) throws -> String {
        guard let name = String(utf8Name: try heapBytes(entry.nameOffset, entry.nameLength)) else {
            throw StoreError.corrupt(path: path, offset: heapOffset + entry.nameOffset, reason: "device name is not UTF-8")
        }
        return name
    }

    /// The raw bytes of a device's name, for comparing names across segments without Strings.
    func nameBytes(of entry: DeviceEntry) throws -> UnsafeRawBufferPointer {
        try heapBytes(entry.nameOffset, entry.nameLength)
    }

    /// A device's field list, reusing `cache` when its bytes are the same as the last
    /// device's: the devices of a fleet share their fields, so a scan over all devices
    /// parses the list once instead of once per device.
    func fields(of entry: DeviceEntry, cache: inout (bytes: UnsafeRawBufferPointer, fields: [FieldDescriptor])?) throws -> [FieldDescriptor] {
        let bytes = try heapBytes(entry.fieldsOffset, entry.latestOffset - entry.fieldsOffset)
        if let cached = cache, compareBytes(cached.bytes, bytes) == 0 { return cached.fields }
        let fields = try fields(of: entry)
        cache = (bytes, fields)
        return fields
    }

    func fields(of entry: DeviceEntry) throws -> [FieldDescriptor] {
        var reader = ByteReader(try heapBytes(entry.fieldsOffset, heapLength - entry.fieldsOffset))
        var fields: [FieldDescriptor] = []
        do {
            for _ in 0..<entry.fieldCount {
                let length = Int(try reader.readU8())
                guard let type = FieldType(rawValue: try reader.readU8()) else { throw FormatError(offset: reader.offset - 1, "unknown field type") }
                guard let name = String(utf8Name: try reader.readBytes(length)) else {
                    throw FormatError(offset: reader.offset, "field name is not UTF-8")
                }
                // The list is sorted by name bytes with no repeats; callers key dictionaries by name.
                guard !name.isEmpty, fields.last.map({ $0.name.precedesInBytes(name) }) ?? true else {
                    throw FormatError(offset: reader.offset - length, "field list is not sorted or repeats a name")
                }
                fields.append(FieldDescriptor(name: name, type: type))
            }
        } catch let error as FormatError {
            throw error.inFile(path, at: heapOffset + entry.fieldsOffset)
        }
        return fields
    }

    // MARK: Chunks

    func chunk(at index: Int) throws -> IndexChunkEntry {
        let base = chunkTableOffset + index * FormatConstants.indexChunkEntrySize
        var r = try checkedEntry(at: base, what: "chunk entry \(index)")
        let day = Int32(bitPattern: try r.readU32())
        let length = Int(try r.readU32())
        let offset = Int(truncatingIfNeeded: try r.readU64())
        let rows = Int(try r.readU32())
        let points = Int(try r.readU32())
        return IndexChunkEntry(day: day, offset: offset, length: length, rowCount: rows, minTimestamp: try r.readI64(),
                               maxTimestamp: try r.readI64(), sequence: try r.readU64(), walLSN: try r.readU64(), points: points)
    }

    /// The device's chunks, in (minimum timestamp, sequence) order.
    func chunks(of entry: DeviceEntry) throws -> [IndexChunkEntry] {
        try (entry.firstChunk..<(entry.firstChunk + entry.chunkCount)).map { try chunk(at: $0) }
    }

    /// Everything about one device, for merging segments.
    func summary(of entry: DeviceEntry) throws -> IndexDeviceSummary {
        let fields = try fields(of: entry)
        return IndexDeviceSummary(device: try name(of: entry), fields: fields, minTimestamp: entry.minTimestamp,
                                  maxTimestamp: entry.maxTimestamp, rows: entry.rows, points: entry.points,
                                  latest: try latest(of: entry, fields: fields), chunks: try chunks(of: entry))
    }

    /// Checks the whole-file checksum and every entry; returns one line per problem.
    func verify() -> [StoreError] {
        var problems: [StoreError] = []
        let bytes = region.bytes
        let end = bytes.count - 4
        var trailer = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[end...]))
        if (try? trailer.readU32()) != CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<end])) {
            problems.append(.corrupt(path: path, offset: end, reason: "index segment checksum mismatch"))
        }
        for i in 0..<deviceCount {
            do { _ = try summary(of: try device(at: i)) } catch let error as StoreError { problems.append(error) } catch {}
        }
        return problems
    }

    // MARK: Bytes

    /// `what` names the entry in the error; built only on failure, as entries are read
    /// by the thousand per query.
    private func checkedEntry(at base: Int, what: @autoclosure () -> String) throws -> ByteReader {
        let size = FormatConstants.indexDeviceEntrySize
        let entry = UnsafeRawBufferPointer(rebasing: region.bytes[base..<(base + size)])
        var crcReader = ByteReader(UnsafeRawBufferPointer(rebasing: entry[(size - 4)...]))
        guard try crcReader.readU32() == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: entry[0..<(size - 4)])) else {
            throw StoreError.corrupt(path: path, offset: base, reason: "\(what()) checksum mismatch")
        }
        return ByteReader(entry)
    }

    /// The device's name, field list and latest row lie back to back in the heap, ending
    /// where the latest row's `count` says; their checksum sits in the device entry.
    private func checkHeapRecords(of entry: DeviceEntry) throws {
        guard entry.nameOffset <= entry.fieldsOffset, entry.fieldsOffset <= entry.latestOffset else {
            throw StoreError.corrupt(path: path, offset: heapOffset + entry.nameOffset,
                                     reason: "heap records of device entry \(entry.index) are out of order")
        }
        var countReader = ByteReader(try heapBytes(entry.latestOffset + 8, 2))
        let end = entry.latestOffset + 10 + Int(try countReader.readU16()) * 10
        let records = try heapBytes(entry.nameOffset, end - entry.nameOffset)
        guard CRC32C.checksum(records) == entry.heapCRC else {
            throw StoreError.corrupt(path: path, offset: heapOffset + entry.nameOffset,
                                     reason: "heap records of device entry \(entry.index) fail their checksum")
        }
    }

    func heapBytes(_ offset: Int, _ length: Int) throws -> UnsafeRawBufferPointer {
        guard offset >= 0, length >= 0, offset <= heapLength, length <= heapLength - offset else {
            throw StoreError.corrupt(path: path, offset: heapOffset, reason: "heap reference \(offset)+\(length) outside the heap")
        }
        return UnsafeRawBufferPointer(rebasing: region.bytes[(heapOffset + offset)..<(heapOffset + offset + length)])
    }
}

/// Byte-lexicographic comparison: negative, zero or positive.
func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = min(a.count, b.count)
    if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
        let c = memcmp(pa, pb, n)
        if c != 0 { return Int(c) }
    }
    return a.count - b.count
}
