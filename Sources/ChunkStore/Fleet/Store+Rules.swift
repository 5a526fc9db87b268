extension Store {
    /// Checks `bytes` as a rules file and stores it as `<store>/rules.json` (atomically).
    /// Writers load it when they open; a writer already running keeps its rules until reopened.
    public static func setRules(_ bytes: [UInt8], store path: String, options: StoreOptions = StoreOptions()) throws -> RuleSet {
        let set = try RuleSet.parse(bytes)
        let fs = options.fileSystem
        guard fs.exists(StoreLayout(root: path).manifest) else { throw StoreError.storeNotFound(path: path) }
        try StoreError.wrapping(path) { try fs.writeAtomically(StoreLayout(root: path).rules, bytes, directory: path) }
        return set
    }

    /// Alert events stored in the store with `timestamp >= since`, sorted by time, rule
    /// and device. With `activeOnly`, only the newest event of each alert series that is
    /// still firing (regardless of `since`).
    public func alerts(since: Int64? = nil, activeOnly: Bool = false) throws(StoreError) -> [AlertEvent] {
        try withContext { context in
            var events: [AlertEvent] = []
            for device in try context.deviceNames() where device.hasPrefix(RuleSet.alertPrefix) {
                let from = activeOnly ? Int64.min : (since ?? .min)
                let result = try context.range(device: device, from: from, toInclusive: .max, fields: ["state", "severity", "value"])
                var series: [AlertEvent] = []
                for r in result.timestamps.indices {
                    if let e = AlertEvent(seriesDevice: device, timestamp: result.timestamps[r], state: result.values[0][r],
                                          severity: result.values[1][r], value: result.values[2][r]) { series.append(e) }
                }
                if activeOnly {
                    if let last = series.last, last.firing { events.append(last) }
                } else {
                    events += series
                }
            }
            return events.sorted { ($0.timestamp, $0.rule, $0.device) < ($1.timestamp, $1.rule, $1.device) }
        }
    }

    /// Replays stored rows with `from <= t < to` through a fresh ``RuleEngine`` over `rules`
    /// and returns the events it would have raised, sorted by time. Each device's rows are
    /// fed in time order; stale rules are checked before every row and at `to` (or the
    /// device's last row). Nothing is written.
    public func replayRules(_ rules: RuleSet, from: Int64? = nil, to: Int64? = nil) throws(StoreError) -> [AlertEvent] {
        guard let bounds = Store.bounds(from: from, to: to) else { return [] }
        return try withContext { context in
            var engine = RuleEngine(ruleSet: rules)
            var events: [AlertEvent] = []
            for device in try context.deviceNames() where !device.hasPrefix(RuleSet.alertPrefix) {
                guard rules.rules.contains(where: { $0.devices.matches(device) }) else { continue }
                let result = try context.range(device: device, from: bounds.from, toInclusive: bounds.toInclusive, fields: nil)
                let rows = result.columnarRows
                for r in rows.timestamps.indices {
                    engine.checkStale(device: device, now: rows.timestamps[r], into: &events)
                    engine.observe(device: device, rows: rows.slice(r..<r + 1), into: &events)
                }
                engine.checkStale(device: device, now: to ?? (rows.timestamps.last ?? .min), into: &events)
            }
            return events.sorted { ($0.timestamp, $0.rule, $0.device) < ($1.timestamp, $1.rule, $1.device) }
        }
    }
}

extension RangeResult {
    /// The result as columns (float, int and bool fields keep their types).
    var columnarRows: ColumnarRows {
        var rows = ColumnarRows(timestamps: timestamps, columns: [])
        for (f, name) in fieldNames.enumerated() {
            let type = values[f].lazy.compactMap { $0?.type }.first ?? .float
            var present = Bitmap(count: timestamps.count, value: false)
            var bits = [UInt64](repeating: 0, count: timestamps.count)
            for (r, v) in values[f].enumerated() {
                if let v { present[r] = true; bits[r] = v.storageBits }
            }
            rows.columns.append(FieldColumn(name: name, type: type, bits: bits, present: present))
        }
        return rows
    }
}
