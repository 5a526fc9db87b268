/// Reading the latest row each device entry carries: for one device, and for a scan
/// over every device when one segment holds the whole index.
extension IndexSegment {
    func latest(of entry: DeviceEntry, fields: [FieldDescriptor]) throws -> LatestValues {
        var values: [(name: String, type: FieldType, bits: UInt64)] = []
        let timestamp = try forEachLatestValue(of: entry, fieldCount: fields.count) { index, bits in
            values.append((fields[index].name, fields[index].type, bits))
        }
        return LatestValues(timestamp: timestamp, values: values)
    }

    /// Appends every device's latest row, in name order, without a per-device
    /// intermediate: the devices of a fleet share one field list, so it is parsed and
    /// mapped to the builder's columns once per run of equal lists.
    func appendAllLatest(to builder: inout LatestRowsBuilder) throws {
        var listBytes = UnsafeRawBufferPointer(start: nil, count: 0)
        var fields: [FieldDescriptor] = []
        var columns: [Int32] = []
        for i in 0..<deviceCount {
            let entry = try device(at: i)
            let bytes = try heapBytes(entry.fieldsOffset, entry.latestOffset - entry.fieldsOffset)
            if i == 0 || compareBytes(bytes, listBytes) != 0 {
                fields = try self.fields(of: entry)
                columns = fields.map { builder.column($0.name) }
                listBytes = bytes
            }
            builder.beginRow(device: try name(of: entry), timestamp: .min)
            let timestamp = try forEachLatestValue(of: entry, fieldCount: fields.count) { index, bits in
                builder.addValue(column: columns[index], FieldValue(type: fields[index].type, bits: bits))
            }
            builder.setTimestamp(timestamp)
        }
    }

    /// Calls `body` with each (field index, payload) of the device's latest row, after
    /// checking the index against `fieldCount`; returns the row's timestamp.
    private func forEachLatestValue(of entry: DeviceEntry, fieldCount: Int, _ body: (Int, UInt64) -> Void) throws -> Int64 {
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
