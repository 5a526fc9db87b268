/// Reading the latest row each device entry carries.
extension IndexSegment {
    func latest(of entry: DeviceEntry, fields: [FieldDescriptor]) throws -> LatestValues {
        var values: [(name: String, type: FieldType, bits: UInt64)] = []
        let timestamp = try forEachLatestValue(of: entry, fieldCount: fields.count) { index, bits in
            values.append((fields[index].name, fields[index].type, bits))
        }
        return LatestValues(timestamp: timestamp, values: values)
    }

    /// Calls `body` with each (field index, payload) of the device's latest row, after
    /// checking the index against `fieldCount`; returns the row's timestamp.
    func forEachLatestValue(of entry: DeviceEntry, fieldCount: Int, _ body: (Int, UInt64) -> Void) throws -> Int64 {
        var reader = ByteReader(try heapBytes(entry.latestOffset, heapLength - entry.latestOffset))
        do {
            let timestamp = try reader.readI64()
            let count = Int(try reader.readU16())
            for _ in 0..<count {
                let index = Int(try reader.readU16())
                let bits = try reader.readU64()
                guard index < fieldCount else { throw FormatError(offset: reader.offset - 10, "latest row names field \(index) of \(fieldCount)") }
                body(index, bits)
            }
            return timestamp
        } catch let error as FormatError {
            throw error.inFile(path, at: heapOffset + entry.latestOffset)
        }
    }
}
