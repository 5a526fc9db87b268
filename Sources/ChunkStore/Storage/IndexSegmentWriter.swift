/// Serialises device summaries into an index segment file (Formats/SPEC.md, "Index segment").
///
/// Layout: a 64-byte header, the device table (64-byte entries sorted by device name
/// bytes), the chunk table (64-byte entries grouped by device in device-table order, each
/// group sorted by minimum timestamp then sequence), the heap (names, field lists, latest
/// rows) and a CRC32C of everything before it.
enum IndexSegmentWriter {
    static func encode(segment: UInt64, devices: [IndexDeviceSummary]) -> [UInt8] {
        let sorted = devices.sorted { $0.device.precedesInBytes($1.device) }
        let chunkCount = sorted.reduce(0) { $0 + $1.chunks.count }
        let deviceTableOffset = FormatConstants.indexHeaderSize
        let chunkTableOffset = deviceTableOffset + sorted.count * FormatConstants.indexDeviceEntrySize
        let heapOffset = chunkTableOffset + chunkCount * FormatConstants.indexChunkEntrySize

        var heap = ByteWriter()
        var deviceTable = ByteWriter()
        var chunkTable = ByteWriter()
        var entry = ByteWriter()
        var firstChunk = 0
        for (deviceIndex, device) in sorted.enumerated() {
            let nameOffset = heap.count
            heap.append(Array(device.device.utf8))
            let fieldsOffset = heap.count
            for field in device.fields {
                let name = Array(field.name.utf8)
                heap.appendU8(UInt8(name.count))
                heap.appendU8(field.type.rawValue)
                heap.append(name)
            }
            let latestOffset = heap.count
            heap.appendI64(device.latest.timestamp)
            heap.appendU16(UInt16(device.latest.values.count))
            for value in device.latest.values {
                let index = device.fields.firstIndex { $0.name == value.name } ?? 0
                heap.appendU16(UInt16(index))
                heap.appendU64(value.bits)
            }

            entry.reset()
            entry.appendU32(UInt32(nameOffset))
            entry.appendU16(UInt16(device.device.utf8.count))
            entry.appendU16(UInt16(device.fields.count))
            entry.appendU32(UInt32(fieldsOffset))
            entry.appendU32(UInt32(firstChunk))
            entry.appendU32(UInt32(device.chunks.count))
            entry.appendU32(UInt32(latestOffset))
            entry.appendI64(device.minTimestamp)
            entry.appendI64(device.maxTimestamp)
            entry.appendU64(UInt64(device.rows))
            entry.appendU64(UInt64(device.points))
            // The device's heap records lie back to back: one checksum guards them all.
            entry.appendU32(heap.bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[nameOffset...])) })
            entry.appendU32(CRC32C.checksum(entry.bytes))
            deviceTable.append(entry.bytes)

            for chunk in device.chunks {
                entry.reset()
                entry.appendU32(UInt32(bitPattern: chunk.day))
                entry.appendU32(UInt32(chunk.length))
                entry.appendU64(UInt64(chunk.offset))
                entry.appendU32(UInt32(chunk.rowCount))
                entry.appendU32(UInt32(chunk.points))
                entry.appendI64(chunk.minTimestamp)
                entry.appendI64(chunk.maxTimestamp)
                entry.appendU64(chunk.sequence)
                entry.appendU64(chunk.walLSN)
                entry.appendU32(UInt32(deviceIndex))
                entry.appendU32(CRC32C.checksum(entry.bytes))
                chunkTable.append(entry.bytes)
            }
            firstChunk += device.chunks.count
        }

        var out = ByteWriter()
        out.appendU32(FormatConstants.indexMagic)
        out.appendU16(FormatConstants.indexVersion)
        out.appendU16(UInt16(FormatConstants.indexChunkEntrySize))
        out.appendU64(segment)
        out.appendU32(UInt32(sorted.count))
        out.appendU32(UInt32(chunkCount))
        out.appendU64(UInt64(deviceTableOffset))
        out.appendU64(UInt64(chunkTableOffset))
        out.appendU64(UInt64(heapOffset))
        out.appendU64(UInt64(heap.count))
        out.appendU32(0)
        out.appendU32(CRC32C.checksum(out.bytes))
        out.append(deviceTable.bytes)
        out.append(chunkTable.bytes)
        out.append(heap.bytes)
        out.appendU32(CRC32C.checksum(out.bytes))
        return out.bytes
    }
}
