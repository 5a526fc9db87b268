import Testing
@testable import ChunkStore

/// Downsampling from stored aggregates (chunk statistics and rollup cells) answers exactly
/// as decoding every row does: count, min, max, first and last bit for bit, sum and mean
/// to 1e-9 of the magnitudes summed. Over random bucket widths (including ones no cell
/// divides, 7m and 90m), ragged ranges, late rows, re-sent duplicates, every duplicate
/// policy, rows still in the head, compacted and uncompacted stores, NaN and infinities,
/// and local-time days in zones whose days are not whole hours from UTC.
@Suite struct DownsampleAggregatesTests {
    static let minute: Int64 = 60_000_000_000
    static let hour: Int64 = 3_600_000_000_000
    static let day: Int64 = 86_400_000_000_000
    static let base = 19_800 * day
    static let widths: [BucketWidth] = [
        .nanoseconds(minute), .nanoseconds(7 * minute), .nanoseconds(15 * minute), .nanoseconds(hour),
        .nanoseconds(90 * minute), .nanoseconds(2 * hour), .nanoseconds(day), .nanoseconds(7 * day), .months(1),
    ]

    static func value(_ rng: inout SeededRandom) -> FieldValue {
        switch Int.random(in: 0..<100, using: &rng) {
        case 0: .float(.nan)
        case 1: .float(.infinity)
        case 2: .float(-.infinity)
        case 3: .float(-0.0)
        default: .float(Double(Int.random(in: -100_000...100_000, using: &rng)) / 1000)
        }
    }

    static func row(_ rng: inout SeededRandom, device: String, at t: Int64, specials: Bool) -> Row {
        var fields: [String: FieldValue] = [:]
        if Int.random(in: 0..<10, using: &rng) < 9 {
            fields["p"] = specials ? value(&rng) : .float(Double(Int.random(in: 0...5000, using: &rng)) / 100)
        }
        if Int.random(in: 0..<10, using: &rng) < 7 { fields["e"] = .int(Int64.random(in: -1_000_000...1_000_000, using: &rng)) }
        if Int.random(in: 0..<10, using: &rng) < 3 { fields["ok"] = .bool(Bool.random(using: &rng)) }
        return Row(device: device, timestamp: t, fields: fields)
    }

    @Test(arguments: DuplicatePolicy.allCases)
    func aggregatesAnswerAsDecodedRows(policy: DuplicatePolicy) throws {
        let zones = [TimeZoneRules.utc, try TimeZoneRulesTests.zone("Asia-Kolkata", name: "Asia/Kolkata"),
                     try TimeZoneRulesTests.zone("Europe-Paris", name: "Europe/Paris")]
        for seed in UInt64(1)...4 {
            var rng = SeededRandom(seed: seed &* 104_729 &+ UInt64(policy.rawValue))
            let dir = TemporaryDirectory()
            defer { dir.remove() }
            var options = StoreOptions()
            options.duplicatePolicy = policy
            options.sync = .none
            options.chunkRowLimit = Int.random(in: 200...3000, using: &rng)
            options.compactionTrigger = seed % 2 == 0 ? 0 : 4
            let store = try Store.open(at: dir.child("s"), options: options)
            let devices = ["m1", "m2"]
            let specials = seed != 1
            // A regular feed over three days, in batches, sealed now and then.
            var sent: [Int64] = []
            for device in devices {
                let step = [5, 17, 60].randomElement(using: &rng)! * 1_000_000_000
                var t = Self.base + Int64.random(in: 0..<Self.hour, using: &rng)
                var batch: [Row] = []
                while t < Self.base + 3 * Self.day {
                    batch.append(Self.row(&rng, device: device, at: t, specials: specials))
                    sent.append(t)
                    t += Int64(step) + Int64.random(in: -999_999...999_999, using: &rng)
                    if batch.count == 700 {
                        try store.append(batch)
                        batch.removeAll()
                        if Int.random(in: 0..<4, using: &rng) == 0 { try store.flush() }
                    }
                }
                try store.append(batch)
            }
            try store.flush()
            // Late rows and re-sent duplicates, some sealed, some left in the head.
            for round in 0..<3 {
                let late = (0..<Int.random(in: 20...300, using: &rng)).map { _ in
                    let t = Bool.random(using: &rng) ? sent.randomElement(using: &rng)!
                        : Self.base + Int64.random(in: 0..<(3 * Self.day), using: &rng)
                    return Self.row(&rng, device: devices.randomElement(using: &rng)!, at: t, specials: specials)
                }
                try store.append(late)
                if round == 0 { try store.flush() }
            }
            if seed == 3 { _ = try store.compact() }
            for q in 0..<40 {
                let query = Self.randomQuery(&rng, devices: devices, zones: zones)
                try Self.compare(store, query, context: "policy \(policy) seed \(seed) query \(q)")
            }
            try store.close()
        }
    }

    /// Hourly and daily buckets over whole hours of sealed chunks come from the
    /// aggregates alone: no chunk is decoded. Buckets no cell fits, ragged edges and the
    /// hours a late chunk overlaps are decoded, and only those.
    @Test func alignedBucketsDecodeNoRows() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = StoreOptions()
        options.sync = .none
        options.chunkRowLimit = 1000
        options.compactionTrigger = 0
        let store = try Store.open(at: dir.child("s"), options: options)
        // 2,000 rows 30 s apart (16.7 hours): two chunks of 1,000.
        try store.append((0..<2000).map { i in
            Row(device: "m", timestamp: Self.base + Int64(i) * 30_000_000_000, fields: ["p": .float(Double(i % 97))])
        })
        try store.flush()
        func decodes(_ width: Int64, _ from: Int64, _ to: Int64) throws -> Int {
            let query = DownsampleQuery(device: "m", from: from, to: to, fields: ["p"], bucket: .nanoseconds(width),
                                        functions: AggregateFunction.allCases)
            try Self.compare(store, query, context: "width \(width)")
            return try store.withContext { snapshot in
                let reader = DataFileReader(snapshot)
                _ = try snapshot.downsample(device: "m", query: query, bucketing: try Bucketing(query.bucket),
                                            from: from, toInclusive: to - 1, reader: reader)
                return reader.chunksDecoded
            }
        }
        let day = Self.base + Self.day
        #expect(try decodes(Self.hour, Self.base, day) == 0)
        #expect(try decodes(Self.day, Self.base, day) == 0)
        #expect(try decodes(3 * Self.hour, Self.base + Self.hour, Self.base + 10 * Self.hour) == 0)
        #expect(try decodes(7 * Self.minute, Self.base, day) == 2)
        #expect(try decodes(Self.hour, Self.base + 90 * Self.minute, Self.base + 2 * Self.hour) == 1)
        // A late row at 03:10 overlaps the first chunk: its 03:00 cell is decoded with
        // the late chunk, the other cells still come from the rollup.
        try store.append([Row(device: "m", timestamp: Self.base + 190 * Self.minute, fields: ["p": .float(1000)])])
        try store.flush()
        #expect(try decodes(Self.hour, Self.base, day) == 2)
        #expect(try decodes(Self.hour, Self.base + 5 * Self.hour, day) == 0)
        try store.close()
    }

    static func randomQuery(_ rng: inout SeededRandom, devices: [String], zones: [TimeZoneRules]) -> DownsampleQuery {
        func time() -> Int64? {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: nil
            case 1: base + Int64.random(in: 0...3, using: &rng) * day
            case 2: base + Int64.random(in: 0...72, using: &rng) * hour
            default: base + Int64.random(in: -hour..<(3 * day + hour), using: &rng)
            }
        }
        var (from, to) = (time(), time())
        if let f = from, let t = to, f > t { (from, to) = (t, f) }
        return DownsampleQuery(device: Bool.random(using: &rng) ? devices.randomElement(using: &rng)! : nil,
                               from: from, to: to, fields: ["p", "e", "ok"], bucket: widths.randomElement(using: &rng)!,
                               functions: AggregateFunction.allCases, timeZone: zones.randomElement(using: &rng)!)
    }

    /// The query's rows with and without aggregates, compared.
    static func compare(_ store: Store, _ query: DownsampleQuery, context: String) throws {
        let fast = try store.downsample(query)
        guard let bounds = Store.bounds(from: query.from, to: query.to) else { return }
        let bucketing = try Bucketing(query.bucket, timeZone: query.timeZone)
        let raw = try store.withContext { snapshot in
            let reader = DataFileReader(snapshot)
            return try (query.device.map { [$0] } ?? snapshot.deviceNames()).flatMap { device in
                try snapshot.downsample(device: device, query: query, bucketing: bucketing, from: bounds.from,
                                        toInclusive: bounds.toInclusive, reader: reader, useAggregates: false)
            }
        }
        if let problem = mismatch(fast, raw) {
            Issue.record("\(context) (\(query.bucket), \(query.timeZone.name), \(String(describing: query.from))..<\(String(describing: query.to))): \(problem)")
        }
    }

    /// nil when two answers agree: exactly, except sums and means, which may differ by
    /// 1e-9 of the sum of the magnitudes added (their order of addition differs).
    static func mismatch(_ a: [DownsampleRow], _ b: [DownsampleRow]) -> String? {
        guard a.count == b.count else { return "\(a.count) rows, expected \(b.count)" }
        let functions = AggregateFunction.allCases
        for (x, y) in zip(a, b) {
            guard x.device == y.device, x.bucketStart == y.bucketStart, x.values.count == y.values.count else {
                return "row \(x.device) \(x.bucketStart), expected \(y.device) \(y.bucketStart)"
            }
            for i in x.values.indices {
                let fn = functions[i % functions.count]
                let fieldBase = i - i % functions.count
                switch (x.values[i], y.values[i]) {
                case (nil, nil): continue
                case (let u?, let v?):
                    if fn == .sum || fn == .mean, case .float(let p) = u, case .float(let q) = v {
                        if p.isNaN && q.isNaN || p == q { continue }
                        guard p.isFinite, q.isFinite else { return "\(fn) \(p), expected \(q) at \(y.bucketStart)" }
                        // The magnitude bound: count × the largest |value| in the bucket.
                        let count = Double(y.values[fieldBase + functions.firstIndex(of: .count)!].map(\.doubleValue) ?? 1)
                        let largest = [AggregateFunction.min, .max].compactMap { y.values[fieldBase + functions.firstIndex(of: $0)!] }
                            .map { abs($0.doubleValue) }.filter(\.isFinite).max() ?? 0
                        let bound = 1e-9 * (fn == .sum ? count : 1) * largest
                        if abs(p - q) <= bound { continue }
                        return "\(fn) \(p), expected \(q) at \(y.bucketStart)"
                    }
                    if u.type != v.type || u.storageBits != v.storageBits {
                        return "\(fn) \(u), expected \(v) at \(y.bucketStart) (\(x.device))"
                    }
                default:
                    return "\(fn) \(String(describing: x.values[i])), expected \(String(describing: y.values[i])) at \(y.bucketStart)"
                }
            }
        }
        return nil
    }
}
