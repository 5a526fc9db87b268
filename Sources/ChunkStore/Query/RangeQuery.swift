extension StoreSnapshot {
    /// Raw rows of one device in [from, toInclusive], merged and deduplicated; chunks are
    /// read through `reader` when given (so a caller can count what was decoded).
    func range(device: String, from: Int64, toInclusive: Int64, fields requested: [String]?,
               reader given: DataFileReader? = nil) throws -> RangeResult {
        let schema = try schema(of: device)
        let names = requested ?? schema.keys.sorted { $0.precedesInBytes($1) }
        let reader = given ?? DataFileReader(self)
        var result = RangeResult(device: device, fieldNames: names, timestamps: [],
                                 values: Array(repeating: [], count: names.count))
        for cluster in try clusters(device: device, from: from, toInclusive: toInclusive) {
            let runs = try cluster.pieces.map { try reader.rows(of: $0, fields: names) }
            var merged = RunMerger.merge(runs, policy: policy, fields: names, from: from, toInclusive: toInclusive)
            for i in merged.columns.indices where schema[merged.columns[i].name] != nil {
                merged.columns[i].type = schema[merged.columns[i].name] ?? merged.columns[i].type
            }
            result.timestamps.append(contentsOf: merged.timestamps)
            for (f, column) in merged.columns.enumerated() {
                result.values[f].reserveCapacity(result.values[f].count + merged.rowCount)
                for r in 0..<merged.rowCount { result.values[f].append(column.value(at: r)) }
            }
        }
        return result
    }

    /// The latest row of one device (none when it has no rows): from the index's latest
    /// rows, then the head.
    func latest(device: String) throws -> LatestRows {
        var builder = LatestRowsBuilder(capacity: 1)
        if let latest = try latestValues(device: device, sealed: try index.latest(of: device, policy: policy)) {
            builder.append(device: device, latest)
        }
        return builder.build()
    }

    /// The latest row of every device, sealed and buffered, sorted by device bytes.
    func latestOfEveryDevice() throws -> LatestRows {
        let buffered = Set(head?.buffers.keys.map(\.device) ?? [])
        if buffered.isEmpty {
            var builder = LatestRowsBuilder(capacity: index.segments.map(\.deviceCount).max() ?? 0)
            try index.appendAllLatest(policy: policy, to: &builder)
            return builder.build()
        }
        var rows: [(device: String, latest: LatestValues)] = []
        var known = Set<String>()
        for (device, sealed) in try index.allLatest(policy: policy) {
            known.insert(device)
            let latest = buffered.contains(device) ? try latestValues(device: device, sealed: sealed) : sealed
            if let latest { rows.append((device, latest)) }
        }
        let onlyBuffered = buffered.subtracting(known)
        for device in onlyBuffered {
            if let latest = try latestValues(device: device, sealed: nil) { rows.append((device, latest)) }
        }
        if !onlyBuffered.isEmpty { rows.sort { $0.device.precedesInBytes($1.device) } }
        var builder = LatestRowsBuilder(capacity: rows.count)
        for row in rows { builder.append(device: row.device, row.latest) }
        return builder.build()
    }

    /// Folds the head's rows of `device` into its sealed latest row.
    private func latestValues(device: String, sealed: LatestValues?) throws -> LatestValues? {
        var latest = sealed
        for (_, rows) in head?.buffers(of: device) ?? [] {
            guard let top = rows.timestamps.max() else { continue }
            var values: [(name: String, type: FieldType, bits: UInt64)] = []
            for (r, t) in rows.timestamps.enumerated() where t == top {
                for column in rows.columns where column.present[r] {
                    if let i = values.firstIndex(where: { $0.name == column.name }) {
                        values[i].bits = policy.resolve(old: values[i].bits, new: column.bits[r], type: column.type)
                    } else {
                        values.append((column.name, column.type, column.bits[r]))
                    }
                }
            }
            let buffered = LatestValues(timestamp: top, values: values)
            if latest == nil { latest = buffered } else { latest?.absorb(buffered, policy: policy) }
        }
        return latest
    }
}
