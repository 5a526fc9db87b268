import Testing
@testable import ChunkStore

/// Queries through the whole engine (WAL, head, sealed chunks, index, merge) against a naive
/// in-memory model fed the same rows, under every duplicate policy.
@Suite struct StoreReferenceTests {
    static let day: Int64 = 86_400_000_000_000
    static let hour: Int64 = 3_600_000_000_000

    /// The model: per device, (timestamp, field) → resolved payload, folded in arrival order.
    struct Model {
        var policy: DuplicatePolicy
        var values: [String: [Int64: [String: FieldValue]]] = [:]

        mutating func add(_ row: Row) {
            for (name, value) in row.fields {
                let old = values[row.device]?[row.timestamp]?[name]
                let resolved = old.map {
                    FieldValue(type: value.type, bits: policy.resolve(old: $0.storageBits, new: value.storageBits, type: value.type))
                } ?? value
                values[row.device, default: [:]][row.timestamp, default: [:]][name] = resolved
            }
            if row.fields.isEmpty { values[row.device, default: [:]][row.timestamp, default: [:]] = values[row.device]?[row.timestamp] ?? [:] }
        }

        func range(_ device: String, _ from: Int64, _ to: Int64, _ fields: [String]) -> RangeResult {
            let rows = (values[device] ?? [:]).filter { $0.key >= from && $0.key < to }.sorted { $0.key < $1.key }
            return RangeResult(device: device, fieldNames: fields, timestamps: rows.map(\.key),
                               values: fields.map { f in rows.map { $0.value[f] } })
        }

        /// Per bucket, straightforwardly.
        func downsample(_ device: String, _ from: Int64, _ to: Int64, _ field: String, bucket: (Int64) -> Int64,
                        _ functions: [AggregateFunction]) -> [DownsampleRow] {
            var buckets: [Int64: [(Int64, FieldValue)]] = [:]
            for (t, fields) in values[device] ?? [:] where t >= from && t < to {
                guard let v = fields[field] else { continue }
                buckets[bucket(t), default: []].append((t, v))
            }
            return buckets.keys.sorted().map { start in
                let members = buckets[start]!.sorted { $0.0 < $1.0 }
                let doubles = members.map { $0.1.doubleValue }
                let values: [FieldValue?] = functions.map { fn in
                    switch fn {
                    case .count: return .int(Int64(members.count))
                    case .sum: return .float(doubles.reduce(0, +))
                    case .mean: return .float(doubles.reduce(0, +) / Double(members.count))
                    case .min: return members.map(\.1).min { $0.doubleValue < $1.doubleValue }
                    case .max: return members.map(\.1).max { $0.doubleValue < $1.doubleValue }
                    case .first: return members.first?.1
                    case .last: return members.last?.1
                    }
                }
                return DownsampleRow(device: device, bucketStart: start, values: values)
            }
        }
    }

    static func randomRows(_ rng: inout SeededRandom, count: Int, devices: [String], base: Int64, span: Int64) -> [Row] {
        (0..<count).map { _ in
            var fields: [String: FieldValue] = [:]
            // Small integer-valued floats keep sums exact, so aggregates compare exactly.
            if Int.random(in: 0..<10, using: &rng) < 8 { fields["p"] = .float(Double(Int.random(in: -50...50, using: &rng)) / 4) }
            if Int.random(in: 0..<10, using: &rng) < 6 { fields["e"] = .int(Int64.random(in: -1000...1000, using: &rng)) }
            if Int.random(in: 0..<10, using: &rng) < 3 { fields["ok"] = .bool(Bool.random(using: &rng)) }
            // Coarse timestamps make duplicates common.
            let t = base + Int64.random(in: 0..<span, using: &rng) / (span / 500) * (span / 500)
            return Row(device: devices.randomElement(using: &rng)!, timestamp: t, fields: fields)
        }
    }

    @Test(arguments: DuplicatePolicy.allCases)
    func rangeAndDownsampleMatchModel(policy: DuplicatePolicy) throws {
        for seed in UInt64(1)...3 {
            var rng = SeededRandom(seed: seed &* 7919 &+ UInt64(policy.rawValue))
            let dir = TemporaryDirectory()
            defer { dir.remove() }
            var options = StoreOptions()
            options.duplicatePolicy = policy
            options.chunkRowLimit = Int.random(in: 5...60, using: &rng)
            options.sync = .none
            let store = try Store.open(at: dir.child("s"), options: options)
            var model = Model(policy: policy)
            // Pre-1970 to 1970 across a month and a year boundary, plus late rows for sealed days.
            let base = -3 * Self.day
            let devices = ["a", "b", "meter-7"]
            for round in 0..<8 {
                let rows = Self.randomRows(&rng, count: Int.random(in: 1...150, using: &rng), devices: devices,
                                           base: base, span: 6 * Self.day)
                try store.append(rows)
                rows.forEach { model.add($0) }
                if round % 3 == 2 { try store.flush() }
            }
            try check(store, model, devices, base, seed)
            try store.close()
            let reopened = try Store.open(at: dir.child("s"), options: options)
            try check(reopened, model, devices, base, seed)
            try reopened.close()
        }
    }

    /// The column-wise accessors of `LatestRows` agree with its rows.
    func checkColumnAccess(_ latest: LatestRows) {
        #expect(latest.fieldNames == latest.fieldNames.sorted { $0.precedesInBytes($1) })
        #expect(latest.devices == latest.map(\.device) && latest.timestamps == latest.map(\.timestamp))
        for (r, row) in latest.enumerated() {
            for (f, name) in latest.fieldNames.enumerated() {
                #expect(latest.value(r, field: f) == row.fields[name])
                #expect(latest.value(r, name) == row.fields[name])
            }
            #expect(latest.value(r, "no such field") == nil)
        }
    }

    func check(_ store: Store, _ model: Model, _ devices: [String], _ base: Int64, _ seed: UInt64) throws {
        let fields = ["e", "ok", "p"]
        let latest = try store.latest()
        let expectedLatest = devices.sorted().compactMap { device -> LatestRow? in
            guard let (t, values) = model.values[device]?.max(by: { $0.key < $1.key }) else { return nil }
            return LatestRow(device: device, timestamp: t, fields: values)
        }
        #expect(Array(latest) == expectedLatest, "seed \(seed): latest of every device")
        for row in expectedLatest { #expect(Array(try store.latest(device: row.device)) == [row]) }
        checkColumnAccess(latest)
        let windows: [(Int64, Int64)] = [(.min, .max), (base + Self.day / 3, base + 4 * Self.day + 17), (0, 1), (-1, Self.hour)]
        for device in devices {
            for (from, to) in windows {
                let got = try store.range(device: device, from: from == .min ? nil : from, to: to == .max ? nil : to, fields: fields)
                #expect(got == model.range(device, from, to, fields), "seed \(seed) device \(device) [\(from), \(to))")
            }
            let functions = AggregateFunction.allCases
            for (width, bucket) in [(BucketWidth.nanoseconds(Self.hour), { (t: Int64) in Self.floor(t, Self.hour) }),
                                    (.nanoseconds(Self.day), { (t: Int64) in Self.floor(t, Self.day) }),
                                    (.months(1), { (t: Int64) in Self.monthStart(t) })] {
                for field in ["p", "e"] {
                    let query = DownsampleQuery(device: device, fields: [field], bucket: width, functions: functions)
                    let got = try store.downsample(query)
                    let want = model.downsample(device, .min, .max, field, bucket: bucket, functions)
                    #expect(got == want, "seed \(seed) device \(device) field \(field) width \(width)")
                }
            }
        }
    }

    static func floor(_ t: Int64, _ w: Int64) -> Int64 {
        let q = t / w
        return (t % w < 0 ? q - 1 : q) * w
    }

    /// Month start by walking whole days back to the 1st: slow and obviously right.
    static func monthStart(_ t: Int64) -> Int64 {
        var dayStart = floor(t, day)
        while dayOfMonth(dayStart) != 1 { dayStart -= day }
        return dayStart
    }

    static func dayOfMonth(_ dayStart: Int64) -> Int {
        // 1969-12-29 .. 1970-01-xx is all the test spans need, plus generic rule via civil walk.
        var y = 1970, m = 1, d = 1
        var days = dayStart / day
        let lengths = { (y: Int, m: Int) -> Int in
            [31, (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        }
        while days < 0 {
            m -= 1
            if m == 0 { m = 12; y -= 1 }
            days += Int64(lengths(y, m))
        }
        while days >= Int64(lengths(y, m)) {
            days -= Int64(lengths(y, m))
            m += 1
            if m == 13 { m = 1; y += 1 }
        }
        d += Int(days)
        return d
    }
}
