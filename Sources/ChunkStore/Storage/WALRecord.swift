/// One WAL record's payload: the rows of one device within one UTC day that one append
/// brought, numbered by a store-wide sequence (the LSN) so that replay can skip rows a
/// sealed chunk already holds.
struct WALGroup: Equatable {
    var lsn: UInt64
    var device: String
    var day: Int32
    var rows: ColumnarRows
}

/// WAL record framing: `crc32c u32 | length u32 | type u8 | payload`, the checksum covering
/// length, type and payload. See Formats/SPEC.md, "WAL".
enum WALRecord {
    /// Appends a framed rows record for `group` to `out`.
    static func append(_ group: WALGroup, to out: inout ByteWriter) {
        let start = out.count
        out.appendU32(0) // crc, patched below
        out.appendU32(0) // length, patched below
        out.appendU8(FormatConstants.walRecordTypeRows)
        let payloadStart = out.count
        out.appendU64(group.lsn)
        let device = Array(group.device.utf8)
        out.appendU8(UInt8(device.count))
        out.append(device)
        out.appendU32(UInt32(bitPattern: group.day))
        let rowCount = group.rows.rowCount
        out.appendU32(UInt32(rowCount))
        appendWords(group.rows.timestamps, to: &out)
        out.appendU16(UInt16(group.rows.columns.count))
        for column in group.rows.columns {
            let name = Array(column.name.utf8)
            out.appendU8(UInt8(name.count))
            out.append(name)
            out.appendU8(column.type.rawValue)
            if column.present.allSet {
                out.appendU8(0)
                appendWords(column.bits, to: &out)
            } else {
                out.appendU8(1)
                appendBitmap(column.present, to: &out)
                for i in 0..<rowCount where column.present[i] { out.appendU64(column.bits[i]) }
            }
        }
        let length = UInt32(out.count - payloadStart)
        out.bytes.withUnsafeMutableBytes { buf in
            buf.storeBytes(of: length.littleEndian, toByteOffset: start + 4, as: UInt32.self)
            let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buf[(start + 4)...]))
            buf.storeBytes(of: crc.littleEndian, toByteOffset: start, as: UInt32.self)
        }
    }

    /// Decodes a rows payload (after the framing).
    static func decodeRows(_ payload: UnsafeRawBufferPointer) throws -> WALGroup {
        var reader = ByteReader(payload)
        let lsn = try reader.readU64()
        let deviceLength = Int(try reader.readU8())
        guard deviceLength > 0, let device = String(utf8Name: try reader.readBytes(deviceLength)) else {
            throw FormatError(offset: 8, "device is empty or not UTF-8")
        }
        let day = Int32(bitPattern: try reader.readU32())
        let rowCount = Int(try reader.readU32())
        guard rowCount <= reader.remaining / 8 else { throw FormatError(offset: reader.offset, "row count \(rowCount) overruns the record") }
        var rows = ColumnarRows()
        rows.timestamps.reserveCapacity(rowCount)
        for _ in 0..<rowCount { rows.timestamps.append(try reader.readI64()) }
        let columnCount = Int(try reader.readU16())
        for _ in 0..<columnCount {
            let nameStart = reader.offset
            let nameLength = Int(try reader.readU8())
            guard nameLength > 0, let name = String(utf8Name: try reader.readBytes(nameLength)) else {
                throw FormatError(offset: nameStart, "field name is empty or not UTF-8")
            }
            guard let type = FieldType(rawValue: try reader.readU8()) else {
                throw FormatError(offset: reader.offset - 1, "unknown field type")
            }
            let flag = try reader.readU8()
            var present: Bitmap
            switch flag {
            case 0: present = Bitmap(count: rowCount, value: true)
            case 1: present = try readBitmap(&reader, count: rowCount)
            default: throw FormatError(offset: reader.offset - 1, "unknown presence flag \(flag)")
            }
            var bits = [UInt64](repeating: 0, count: rowCount)
            for i in 0..<rowCount where present[i] { bits[i] = try reader.readU64() }
            rows.columns.append(FieldColumn(name: name, type: type, bits: bits, present: present))
        }
        guard reader.isAtEnd else { throw FormatError(offset: reader.offset, "trailing bytes in WAL record") }
        return WALGroup(lsn: lsn, device: device, day: day, rows: rows)
    }

    /// Appends 64-bit words little-endian; on little-endian hosts one copy of the array.
    static func appendWords<T: FixedWidthInteger>(_ words: [T], to out: inout ByteWriter) {
        #if _endian(little)
        words.withUnsafeBytes { out.append($0) }
        #else
        for word in words { out.appendU64(UInt64(truncatingIfNeeded: word)) }
        #endif
    }

    static func appendBitmap(_ bitmap: Bitmap, to out: inout ByteWriter) {
        let byteCount = (bitmap.count + 7) / 8
        for i in 0..<byteCount {
            out.appendU8(UInt8(truncatingIfNeeded: bitmap.words[i >> 3] >> UInt64((i & 7) * 8)))
        }
    }

    static func readBitmap(_ reader: inout ByteReader, count: Int) throws -> Bitmap {
        let bytes = try reader.readBytes((count + 7) / 8)
        var words = [UInt64](repeating: 0, count: (count + 63) / 64)
        for (i, byte) in bytes.enumerated() { words[i >> 3] |= UInt64(byte) << UInt64((i & 7) * 8) }
        return Bitmap(words: words, count: count)
    }
}
