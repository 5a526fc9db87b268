/// The latest row of every device, written straight into the query's result builder:
/// one scan of a segment's device table when one segment holds the whole index (the usual
/// state after a merge), else the merge of every segment's.
extension IndexSet {
    /// The latest row of every device into `builder`, sorted by name bytes: straight from
    /// the segment when one holds the whole index (the usual state after a merge).
    func appendAllLatest(policy: DuplicatePolicy, to builder: inout LatestRowsBuilder) throws {
        if segments.count == 1 { return try segments[0].appendAllLatest(to: &builder) }
        for (device, latest) in try allLatest(policy: policy) { builder.append(device: device, latest) }
    }
}

extension IndexSegment {
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
}
