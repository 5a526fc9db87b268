extension Store {
    /// Summarises every device (alert series excluded) over a range: rows, first and last
    /// reading, gaps, per-field mean/min/max/p50/p95, a counter's consumption, and with
    /// `request.clusters > 0` k-means clusters of normalised daily load profiles. Without
    /// percentiles and gaps, the statistics come from stored aggregates where they suffice
    /// (see ``SummaryRequest/gaps``).
    public func summary(_ request: SummaryRequest) throws(StoreError) -> FleetSummary {
        guard let bounds = Store.bounds(from: request.from, to: request.to) else { return FleetSummary(devices: [], clusters: []) }
        return try withContext { context in
            try context.summary(request, from: bounds.from, toInclusive: bounds.toInclusive, reader: DataFileReader(context))
        }
    }
}

extension StoreSnapshot {
    /// ``Store/summary(_:)`` over `from...toInclusive`, reading chunks through `reader`.
    func summary(_ request: SummaryRequest, from: Int64, toInclusive: Int64, reader: DataFileReader) throws -> FleetSummary {
        let fromAggregates = !request.percentiles && !request.gaps
        var devices: [DeviceSummary] = []
        var profiles: [(device: String, profile: [Double])] = []
        for device in try deviceNames() where !device.hasPrefix(RuleSet.alertPrefix) {
            let schema = try schema(of: device)
            var names = request.fields.isEmpty ? schema.keys.sorted { $0.precedesInBytes($1) } : request.fields.filter { schema[$0] != nil }
            let profileField = (request.profileField ?? request.fields.first
                ?? schema.filter { $0.value == .float }.keys.sorted { $0.precedesInBytes($1) }.first).flatMap { schema[$0] == nil ? nil : $0 }
            let counter = request.counter.flatMap { schema[$0] == nil ? nil : $0 }
            let profiled = request.clusters > 0 ? profileField : nil
            if fromAggregates,
               let found = try SummaryAggregates.statistics(self, device: device, fields: names, profileField: profiled,
                                                            from: from, toInclusive: toInclusive, reader: reader) {
                guard found.rows.count > 0 else { continue }
                var consumption: Double?
                if let counter {
                    let rows = try range(device: device, from: from, toInclusive: toInclusive, fields: [counter], reader: reader)
                    consumption = SummaryMath.consumption(rows.values[0].compactMap { $0?.doubleValue })
                }
                devices.append(DeviceSummary(device: device, rows: found.rows.count, first: found.rows.first, last: found.rows.last,
                                             interval: nil, gaps: nil, longestStep: nil, fields: found.fields, consumption: consumption))
                if let profiled {
                    let profile: [Double]?
                    if let hourly = found.hourly {
                        profile = SummaryMath.dailyProfile(sums: hourly.sums, counts: hourly.counts)
                    } else {
                        let rows = try range(device: device, from: from, toInclusive: toInclusive, fields: [profiled], reader: reader)
                        profile = SummaryMath.dailyProfile(rows.timestamps, rows.values[0])
                    }
                    if let profile { profiles.append((device, profile)) }
                }
                continue
            }
            var wanted = names
            for extra in [counter, profileField].compactMap({ $0 }) where !wanted.contains(extra) { wanted.append(extra) }
            let result = try range(device: device, from: from, toInclusive: toInclusive, fields: wanted, reader: reader)
            guard !result.timestamps.isEmpty else { continue }
            names = names.filter { wanted.contains($0) }
            devices.append(SummaryMath.device(result, fields: names, counter: counter, gapIntervals: request.gapIntervals,
                                              percentiles: request.percentiles, gaps: request.gaps))
            if request.clusters > 0, let profileField, let f = result.fieldNames.firstIndex(of: profileField),
               let profile = SummaryMath.dailyProfile(result.timestamps, result.values[f]) {
                profiles.append((device, profile))
            }
        }
        let clusters = request.clusters > 0 ? KMeans.cluster(profiles, k: request.clusters) : []
        return FleetSummary(devices: devices, clusters: clusters)
    }
}
