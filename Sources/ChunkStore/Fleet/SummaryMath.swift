/// The arithmetic of a device summary: pure functions over one device's rows.
enum SummaryMath {
    static let hour: Int64 = 3_600_000_000_000
    static let day: Int64 = 86_400_000_000_000

    static func device(_ result: RangeResult, fields: [String], counter: String?, gapIntervals: Double,
                       percentiles: Bool = true, gaps wantGaps: Bool = true) -> DeviceSummary {
        let ts = result.timestamps
        var steps: [Int64] = []
        steps.reserveCapacity(max(0, ts.count - 1))
        for i in ts.indices.dropFirst() where ts[i] > ts[i - 1] { steps.append(ts[i] - ts[i - 1]) }
        steps.sort()
        let interval = steps.isEmpty ? 0 : steps[(steps.count - 1) / 2]
        let limit = Double(interval) * gapIntervals
        let gaps = interval == 0 ? 0 : steps.reduce(0) { $0 + (Double($1) > limit ? 1 : 0) }
        var stats: [DeviceSummary.FieldStatistics] = []
        for name in fields {
            guard let f = result.fieldNames.firstIndex(of: name) else { continue }
            var values = result.values[f].compactMap { $0?.doubleValue }
            guard !values.isEmpty else { continue }
            var sum = 0.0
            for v in values { sum += v }
            values.sort()
            stats.append(.init(name: name, count: values.count, mean: sum / Double(values.count), min: values[0],
                               max: values[values.count - 1], p50: percentiles ? rank(values, 50) : nil,
                               p95: percentiles ? rank(values, 95) : nil))
        }
        var consumption: Double?
        if let counter, let f = result.fieldNames.firstIndex(of: counter) {
            consumption = self.consumption(result.values[f].compactMap { $0?.doubleValue })
        }
        return DeviceSummary(device: result.device, rows: ts.count, first: ts.first ?? 0, last: ts.last ?? 0,
                             interval: wantGaps ? interval : nil, gaps: wantGaps ? gaps : nil,
                             longestStep: wantGaps ? steps.last ?? 0 : nil, fields: stats, consumption: consumption)
    }

    /// Nearest rank: the value at 1-based rank ceil(p/100 * n) of sorted `values`.
    static func rank(_ sorted: [Double], _ p: Int) -> Double {
        let r = (p * sorted.count + 99) / 100
        return sorted[Swift.max(0, Swift.min(sorted.count, r) - 1)]
    }

    /// Sum of increases of a cumulative counter; a decrease is a reset and counts the new value.
    static func consumption(_ values: [Double]) -> Double {
        var total = 0.0
        for i in values.indices.dropFirst() {
            let step = values[i] - values[i - 1]
            total += step >= 0 ? step : values[i]
        }
        return total
    }

    /// 24 hourly means (UTC hour of day) divided by their mean; hours without a value take
    /// the device's overall mean. Nil when the field has no value; all ones when the mean is 0.
    static func dailyProfile(_ timestamps: [Int64], _ values: [FieldValue?]) -> [Double]? {
        var sums = [Double](repeating: 0, count: 24), counts = [Int](repeating: 0, count: 24)
        for (i, v) in values.enumerated() {
            guard let v = v?.doubleValue, v.isFinite else { continue }
            let h = hourOfDay(timestamps[i])
            sums[h] += v
            counts[h] += 1
        }
        return dailyProfile(sums: sums, counts: counts)
    }

    /// The UTC hour of day (0-23) of a timestamp.
    static func hourOfDay(_ t: Int64) -> Int {
        Int((((t % day) + day) % day) / hour)
    }

    /// ``dailyProfile(_:_:)`` from the sums and counts of finite values per UTC hour of day.
    static func dailyProfile(sums: [Double], counts: [Int]) -> [Double]? {
        let n = counts.reduce(0, +)
        guard n > 0 else { return nil }
        let overall = sums.reduce(0, +) / Double(n)
        let hourly = (0..<24).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : overall }
        let mean = hourly.reduce(0, +) / 24
        guard mean != 0 else { return Array(repeating: 1, count: 24) }
        return hourly.map { $0 / mean }
    }
}
