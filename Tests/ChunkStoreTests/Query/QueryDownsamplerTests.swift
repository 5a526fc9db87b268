import Testing
@testable import ChunkStore

/// Downsampler against the naive reference, fed whole, in row pieces, and with chunk
/// statistics standing in for pieces that lie inside one bucket.
@Suite struct QueryDownsamplerTests {
    static let widths: [BucketWidth] = [
        .nanoseconds(1), .nanoseconds(7_000_000_000), .nanoseconds(3_600_000_000_000),
        .nanoseconds(86_400_000_000_000), .months(1), .months(3),
    ]

    /// First differing row, described, or nil when equal.
    func difference(_ got: [DownsampleRow], _ want: [DownsampleRow]) -> String? {
        if got.count != want.count {
            return "\(got.count) buckets != \(want.count): \(got.map(\.bucketStart)) vs \(want.map(\.bucketStart))"
        }
        for (g, w) in zip(got, want) where g != w { return "got \(g)\nwant \(w)" }
        return nil
    }

    /// Feeds statistics of named fields as the planner feeds a chunk's: false, feeding
    /// nothing, when their values do not lie in one bucket.
    static func feedStats(_ stats: [String: (FieldType, FieldStats)], into sampler: inout Downsampler) -> Bool {
        let named = stats.sorted { $0.key.precedesInBytes($1.key) }
        let header = ChunkHeader(device: "d", day: 0, rowCount: 1, minTimestamp: 0, maxTimestamp: 0, sequence: 0, walLSN: 0,
                                 fields: named.map { .init(name: $0.key, type: $0.value.0, stats: $0.value.1, offset: 0, length: 0) },
                                 timestampsOffset: 0, timestampsLength: 0)
        let map = sampler.fieldMap(header.fields)
        let fields = header.fields
        guard let span = sampler.valueSpan(map, { fields[$0].stats }) else { return true }
        guard sampler.fits(span, from: .min, toInclusive: .max) else { return false }
        sampler.feed(at: span.lowerBound, map) { fields[$0].stats }
        return true
    }

    /// Feeds `merged` in random pieces, each as rows or (when inside one bucket) as stats.
    func feedInPieces(_ merged: ColumnarRows, into sampler: inout Downsampler, bucketing: Bucketing,
                      statsShare: Double, _ rng: inout SeededRandom) {
        var lo = 0
        while lo < merged.rowCount {
            let hi = min(merged.rowCount, lo + Int.random(in: 1...12, using: &rng))
            let piece = QueryRandomData.slice(merged, lo, hi)
            let minTs = piece.timestamps[0], maxTs = piece.timestamps[piece.rowCount - 1]
            if bucketing.bucketStart(of: minTs) == bucketing.bucketStart(of: maxTs), rng.chance(statsShare) {
                var stats: [String: (FieldType, FieldStats)] = [:]
                for c in piece.columns where rng.chance(0.9) || FieldStats(column: c, timestamps: piece.timestamps).count > 0 {
                    stats[c.name] = (c.type, FieldStats(column: c, timestamps: piece.timestamps))
                }
                let accepted = Self.feedStats(stats, into: &sampler)
                #expect(accepted)
            } else if rng.chance(0.5) {
                sampler.add(rows: piece)
            } else {
                sampler.add(rows: merged, range: lo..<hi)   // the same rows, fed in place
            }
            lo = hi
        }
    }

    @Test(arguments: widths)
    func matchesReferenceOnRandomData(width: BucketWidth) throws {
        let bucketing = try Bucketing(width)
        for seed in UInt64(0)..<150 {
            var rng = SeededRandom(seed: seed &* 104_729 &+ UInt64(width.description.utf8.count))
            let policy = rng.pick(DuplicatePolicy.allCases)
            let runs = QueryRandomData.runs(&rng)
            let (from, to) = QueryRandomData.range(runs, &rng)
            let merged = RunMerger.merge(runs, policy: policy, fields: nil, from: from, toInclusive: to)

            var fields = (QueryRandomData.fieldNames + ["zz"]).shuffled(using: &rng).filter { _ in rng.chance(0.6) }
            if fields.isEmpty || rng.chance(0.1) { fields.append(rng.pick(QueryRandomData.fieldNames)) }
            var functions = AggregateFunction.allCases.shuffled(using: &rng).filter { _ in rng.chance(0.5) }
            if functions.isEmpty { functions = AggregateFunction.allCases }

            let reference = QueryReference.downsample(
                QueryReference.merge(runs, policy: policy, from: from, toInclusive: to),
                device: "dev", fields: fields, functions: functions, width: width,
                types: QueryRandomData.fieldTypes)

            var whole = Downsampler(device: "dev", fields: fields, functions: functions, bucketing: bucketing)
            whole.add(rows: merged)
            var rowPieces = Downsampler(device: "dev", fields: fields, functions: functions, bucketing: bucketing)
            feedInPieces(merged, into: &rowPieces, bucketing: bucketing, statsShare: 0, &rng)
            var mixed = Downsampler(device: "dev", fields: fields, functions: functions, bucketing: bucketing)
            feedInPieces(merged, into: &mixed, bucketing: bucketing, statsShare: 0.7, &rng)

            for (label, sampler) in [("whole", whole), ("row pieces", rowPieces), ("stats", mixed)] {
                if let diff = difference(sampler.finish(), reference) {
                    Issue.record("seed \(seed), width \(width), \(label): \(diff)")
                    return
                }
            }
        }
    }

    @Test func nanAndEmptyBuckets() throws {
        let hour: Int64 = 3_600_000_000_000
        let bucketing = try Bucketing(.nanoseconds(hour))
        let nan = Double.nan.bitPattern
        let rows = ColumnarRows(timestamps: [-hour, 1, 2, 3 * hour], columns: [
            FieldColumn(name: "v", type: .float, bits: [nan, 2.0.bitPattern, nan, 0],
                        present: Bitmap([true, true, true, false])),
        ])
        var sampler = Downsampler(device: "d", fields: ["v", "w"], functions: [.count, .min, .max, .mean, .first],
                                  bucketing: bucketing)
        sampler.add(rows: rows)
        let out = sampler.finish()
        #expect(out.map(\.bucketStart) == [-hour, 0])
        // Bucket -1h: only NaN, so min and max are NaN.
        #expect(out[0].values[0] == .int(1) && out[0].values[1] == .float(.nan) && out[0].values[2] == .float(.nan))
        // Bucket 0: the number beats NaN for min and max; mean is NaN; first is the earliest.
        #expect(out[1].values[0] == .int(2) && out[1].values[1] == .float(2) && out[1].values[2] == .float(2))
        #expect(out[1].values[3]?.doubleValue.isNaN == true && out[1].values[4] == .float(2))
        // Bucket 3h has a row but no value of any queried field: empty, so omitted; w never existed.
        #expect(out[0].values[5...].allSatisfy { $0 == nil })
    }

    @Test func refusesStatsSpanningBuckets() throws {
        var sampler = try Downsampler(query: DownsampleQuery(device: "d", fields: ["v"], bucket: .nanoseconds(10),
                                                             functions: [.count]), device: "d")
        var stats = FieldStats()
        stats.add(bits: 5, timestamp: 9, type: .int)
        stats.add(bits: 6, timestamp: 10, type: .int)
        let accepted = Self.feedStats(["v": (.int, stats)], into: &sampler)
        #expect(!accepted)
        #expect(sampler.finish().isEmpty)
        #expect(throws: StoreError.self) {
            try Downsampler(query: DownsampleQuery(device: "d", fields: ["v"], bucket: .months(0)), device: "d")
        }
    }

    @Test func outOfOrderPiecesStillGiveSortedBuckets() throws {
        let bucketing = try Bucketing(.nanoseconds(10))
        func rows(_ ts: [Int64]) -> ColumnarRows {
            ColumnarRows(timestamps: ts, columns: [
                FieldColumn(name: "v", type: .int, bits: ts.map { UInt64(bitPattern: $0) },
                            present: Bitmap(count: ts.count, value: true)),
            ])
        }
        var sampler = Downsampler(device: "d", fields: ["v"], functions: [.count, .first, .last], bucketing: bucketing)
        sampler.add(rows: rows([21, 25]))
        sampler.add(rows: rows([3, 12]))
        sampler.add(rows: rows([15, 27]))
        let out = sampler.finish()
        #expect(out.map(\.bucketStart) == [0, 10, 20])
        #expect(out[1].values == [.int(2), .int(12), .int(15)])
        #expect(out[2].values == [.int(3), .int(21), .int(27)])
    }

    @Test func topOfTheRangeWithOneNanosecondBuckets() throws {
        let bucketing = try Bucketing(.nanoseconds(1))
        let rows = ColumnarRows(timestamps: [.max - 1, .max], columns: [
            FieldColumn(name: "v", type: .bool, bits: [1, 0], present: Bitmap(count: 2, value: true)),
        ])
        var sampler = Downsampler(device: "d", fields: ["v"], functions: [.sum], bucketing: bucketing)
        sampler.add(rows: rows)
        let out = sampler.finish()
        #expect(out.map(\.bucketStart) == [.max - 1, .max])
        #expect(out.map(\.values) == [[.float(1)], [.float(0)]])
    }
}
