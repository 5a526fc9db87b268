extension Store {
    /// Summarises every device (alert series excluded) over a range: rows, first and last
    /// reading, gaps, per-field mean/min/max/p50/p95, a counter's consumption, and with
    /// `request.clusters > 0` k-means clusters of normalised daily load profiles.
    public func summary(_ request: SummaryRequest) throws(StoreError) -> FleetSummary {
        guard let bounds = Store.bounds(from: request.from, to: request.to) else { return FleetSummary(devices: [], clusters: []) }
        return try withContext { context in
            var devices: [DeviceSummary] = []
            var profiles: [(device: String, profile: [Double])] = []
            for device in try context.deviceNames() where !device.hasPrefix(RuleSet.alertPrefix) {
                let schema = try context.schema(of: device)
                var names = request.fields.isEmpty ? schema.keys.sorted { $0.precedesInBytes($1) } : request.fields.filter { schema[$0] != nil }
                let profileField = request.profileField ?? request.fields.first
                    ?? schema.filter { $0.value == .float }.keys.sorted { $0.precedesInBytes($1) }.first
                var wanted = names
                for extra in [request.counter, profileField].compactMap({ $0 }) where schema[extra] != nil && !wanted.contains(extra) {
                    wanted.append(extra)
                }
                let result = try context.range(device: device, from: bounds.from, toInclusive: bounds.toInclusive, fields: wanted)
                guard !result.timestamps.isEmpty else { continue }
                names = names.filter { wanted.contains($0) }
                devices.append(SummaryMath.device(result, fields: names, counter: request.counter, gapIntervals: request.gapIntervals))
                if request.clusters > 0, let profileField, let f = result.fieldNames.firstIndex(of: profileField),
                   let profile = SummaryMath.dailyProfile(result.timestamps, result.values[f]) {
                    profiles.append((device, profile))
                }
            }
            let clusters = request.clusters > 0 ? KMeans.cluster(profiles, k: request.clusters) : []
            return FleetSummary(devices: devices, clusters: clusters)
        }
    }
}
