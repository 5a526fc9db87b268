@testable import ChunkStore

/// A deliberately naive model of merging and downsampling, for property tests.
///
/// Merging folds values into a dictionary keyed by timestamp and field, in arrival
/// order; bucketing uses a table of month starts built by walking the calendar month by
/// month with 128-bit arithmetic, so it shares no code with ``CivilTime``.
enum QueryReference {
    /// Merged data: timestamp → field → payload; a timestamp with no fields maps to [:].
    typealias Merged = [Int64: [String: UInt64]]

    static func merge(_ runs: [ColumnarRows], policy: DuplicatePolicy, from: Int64, toInclusive: Int64) -> Merged {
        var merged: Merged = [:]
        for run in runs {
            for r in 0..<run.rowCount {
                let ts = run.timestamps[r]
                guard ts >= from, ts <= toInclusive else { continue }
                var fields = merged[ts] ?? [:]
                for column in run.columns where column.present[r] {
                    let new = column.bits[r]
                    if let old = fields[column.name] {
                        fields[column.name] = policy.resolve(old: old, new: new, type: column.type)
                    } else {
                        fields[column.name] = new
                    }
                }
                merged[ts] = fields
            }
        }
        return merged
    }

    // MARK: Bucketing

    static let nanosPerDay: Int128 = 86_400_000_000_000
    /// Month indices covered by ``monthStarts`` (1670-01 through 2269-12).
    static let firstMonth: Int64 = -300 * 12
    static let lastMonth: Int64 = 300 * 12 - 1

    /// Start (ns, 128-bit) of every month from ``firstMonth`` to ``lastMonth``.
    static let monthStarts: [Int128] = {
        func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }
        func length(_ y: Int, _ m: Int) -> Int128 {
            Int128([31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1])
        }
        // Walk back from 1970-01 to 1670-01, then forward through 2269-12.
        var start: Int128 = 0
        var (y, m) = (1970, 1)
        for _ in 0..<(300 * 12) {
            m -= 1
            if m == 0 { m = 12; y -= 1 }
            start -= length(y, m) * nanosPerDay
        }
        var starts: [Int128] = []
        for _ in 0..<(600 * 12) {
            starts.append(start)
            start += length(y, m) * nanosPerDay
            m += 1
            if m == 13 { m = 1; y += 1 }
        }
        return starts
    }()

    static func clamp(_ v: Int128) -> Int64 {
        v < Int128(Int64.min) ? .min : (v > Int128(Int64.max) ? .max : Int64(v))
    }

    static func floorDiv(_ a: Int128, _ b: Int128) -> Int128 {
        let q = a / b
        return (a % b != 0 && a < 0) ? q - 1 : q
    }

    /// Bucket start of `ts`, computed per row from first principles.
    static func bucketStart(of ts: Int64, width: BucketWidth) -> Int64 {
        switch width {
        case .nanoseconds(let w):
            return clamp(floorDiv(Int128(ts), Int128(w)) * Int128(w))
        case .months(let n):
            // The last month whose start is at or before ts (binary search of the table).
            var lo = 0, hi = monthStarts.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if monthStarts[mid] <= Int128(ts) { lo = mid } else { hi = mid - 1 }
            }
            let index = Int64(lo) + firstMonth
            let first = floorDiv(Int128(index), Int128(n)) * Int128(n)
            return clamp(monthStarts[Int(Int64(first) - firstMonth)])
        }
    }

    // MARK: Downsampling

    /// Buckets of `merged` with the aggregates of `fields` × `functions`, computed from
    /// plain lists of values. `types` gives each field's type; a field without one has
    /// never existed and yields nil.
    static func downsample(_ merged: Merged, device: String, fields: [String], functions: [AggregateFunction],
                           width: BucketWidth, types: [String: FieldType]) -> [DownsampleRow] {
        var buckets: [Int64: [Int64]] = [:]
        for ts in merged.keys { buckets[bucketStart(of: ts, width: width), default: []].append(ts) }
        // A bucket where no queried field has a value is empty and omitted.
        let nonEmpty = buckets.keys.filter { start in
            fields.contains { field in types[field] != nil && (buckets[start] ?? []).contains { merged[$0]?[field] != nil } }
        }
        return nonEmpty.sorted().map { start in
            let times = (buckets[start] ?? []).sorted()
            var values: [FieldValue?] = []
            for field in fields {
                let series = times.compactMap { merged[$0]?[field] }
                for fn in functions {
                    if let type = types[field], !series.isEmpty {
                        values.append(aggregate(fn, series, type))
                    } else {
                        values.append(nil)
                    }
                }
            }
            return DownsampleRow(device: device, bucketStart: start, values: values)
        }
    }

    /// One aggregate of a non-empty, time-ordered series.
    static func aggregate(_ fn: AggregateFunction, _ series: [UInt64], _ type: FieldType) -> FieldValue {
        let values = series.map { FieldValue(type: type, bits: $0) }
        switch fn {
        case .count: return .int(Int64(series.count))
        case .sum: return .float(values.reduce(0.0) { $0 + $1.doubleValue })
        case .mean: return .float(values.reduce(0.0) { $0 + $1.doubleValue } / Double(values.count))
        case .first: return values[0]
        case .last: return values[values.count - 1]
        case .min, .max:
            // Numbers beat NaN; among equal values the earliest wins.
            let numbers = values.filter { !$0.doubleValue.isNaN }
            guard var best = numbers.first else { return values[0] }
            for v in numbers.dropFirst() {
                let better: Bool
                switch (v, best) {
                case (.int(let a), .int(let b)): better = fn == .min ? a < b : a > b
                default: better = fn == .min ? v.doubleValue < best.doubleValue : v.doubleValue > best.doubleValue
                }
                if better { best = v }
            }
            return best
        }
    }
}
