extension StoreSnapshot {
    /// ``DeviceInfo`` without counts (rows and points 0) of the named devices that the store
    /// holds, sealed or only in the head, in the order named, each once; names it does not
    /// hold are left out. The same fields and time spans as ``deviceInfos(counts:)`` gives
    /// for them, at the cost of a lookup per index segment and a pass over those devices'
    /// own unsealed rows only, rather than summaries of every device and every head buffer
    /// (which a server answering queries while it ingests paid on each request).
    func deviceSchemas(named names: [String]) throws -> [DeviceInfo] {
        var seen = Set<String>()
        var infos: [DeviceInfo] = []
        for name in names where seen.insert(name).inserted {
            var found = false
            var types: [String: FieldType] = [:]
            var first = Int64.max, last = Int64.min
            // Segments oldest first: a newer segment's type for a field wins, as in `absorb`.
            for segment in index.segments {
                guard let entry = try segment.findDevice(name) else { continue }
                found = true
                for field in try segment.fields(of: entry) { types[field.name] = field.type }
                first = min(first, entry.minTimestamp)
                last = max(last, entry.maxTimestamp)
            }
            var sealed = Set(types.keys)
            for (key, buffer) in head?.buffers ?? [:] where key.device == name {
                found = true
                first = min(first, buffer.rows.timestamps.min() ?? .max)
                last = max(last, buffer.rows.timestamps.max() ?? .min)
                // A sealed field keeps its sealed type; the head adds the fields it alone has.
                for column in buffer.rows.columns where sealed.insert(column.name).inserted {
                    types[column.name] = column.type
                }
            }
            guard found else { continue }
            let fields = types.map { FieldDescriptor(name: $0.key, type: $0.value) }.sorted { $0.name.precedesInBytes($1.name) }
            infos.append(DeviceInfo(device: name, fields: fields, firstTimestamp: first, lastTimestamp: last, rows: 0))
        }
        return infos
    }
}
