extension StoreSnapshot {
    /// Rows and points (values present) of one device after duplicate resolution, what a
    /// query over all time would return.
    ///
    /// Cheap where the data is clean: a chunk whose time span overlaps no other chunk and no
    /// unsealed row holds no duplicate (sealing resolves those within it), so it counts as
    /// its index entry says, without being read. Only clusters of overlapping pieces (late
    /// rows, re-sent data, rows still in the head or the WAL tail) are merged, as a query
    /// over their span would merge them.
    func exactCounts(device: String) throws -> (rows: Int, points: Int) {
        var rows = 0, points = 0
        for cluster in try clusters(device: device, from: .min, toInclusive: .max) {
            if cluster.pieces.count == 1, case .chunk(let entry) = cluster.pieces[0] {
                rows += entry.rowCount
                points += entry.points
                continue
            }
            let merged = try range(device: device, from: cluster.minTimestamp, toInclusive: cluster.maxTimestamp, fields: nil)
            rows += merged.count
            for column in merged.values {
                for value in column where value != nil { points += 1 }
            }
        }
        return (rows, points)
    }
}

extension StoreSnapshot {
    /// ``DeviceInfo`` of every device, sealed or only in the head, sorted by id bytes.
    /// Without `counts`, rows and points are left 0: the index alone answers, no chunk is
    /// read (what an export needs to plan its columns).
    func deviceInfos(counts: Bool = true) throws -> [DeviceInfo] {
        var infos: [String: DeviceInfo] = [:]
        for summary in try index.summaries(policy: policy) {
            infos[summary.device] = DeviceInfo(device: summary.device, fields: summary.fields,
                                               firstTimestamp: summary.minTimestamp, lastTimestamp: summary.maxTimestamp,
                                               rows: 0)
        }
        for (key, buffer) in head?.buffers ?? [:] {
            var info = infos[key.device] ?? DeviceInfo(device: key.device, fields: [], firstTimestamp: .max, lastTimestamp: .min, rows: 0)
            info.firstTimestamp = min(info.firstTimestamp, buffer.rows.timestamps.min() ?? .max)
            info.lastTimestamp = max(info.lastTimestamp, buffer.rows.timestamps.max() ?? .min)
            for column in buffer.rows.columns where !info.fields.contains(where: { $0.name == column.name }) {
                info.fields.append(FieldDescriptor(name: column.name, type: column.type))
            }
            info.fields.sort { $0.name.precedesInBytes($1.name) }
            infos[key.device] = info
        }
        for name in infos.keys where counts {
            let (rows, points) = try exactCounts(device: name)
            infos[name]?.rows = rows
            infos[name]?.points = points
        }
        return infos.values.sorted { $0.device.precedesInBytes($1.device) }
    }
}
