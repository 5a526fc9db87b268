import Testing
@testable import ChunkStore

/// Bucket alignment examples, extremes of the range, and invariants on random input.
@Suite struct QueryBucketingTests {
    let day = CivilTime.nanosPerDay
    let second: Int64 = 1_000_000_000

    func date(_ y: Int64, _ m: Int, _ d: Int) -> Int64 {
        CivilTime.days(fromCivil: y, month: m, day: d) * day
    }

    @Test func rejectsNonPositiveWidths() {
        for width in [BucketWidth.nanoseconds(0), .nanoseconds(-5), .months(0), .months(-1)] {
            #expect(throws: StoreError.self) { try Bucketing(width) }
        }
    }

    @Test func fixedWidthsFloorBeforeTheEpoch() throws {
        let days = try Bucketing(.nanoseconds(day))
        #expect(days.bucketStart(of: -1) == -day)
        #expect(days.bucketEnd(startingAt: -day) == 0)
        #expect(days.bucketStart(of: 0) == 0)
        let sevenSeconds = try Bucketing(.nanoseconds(7 * second))
        #expect(sevenSeconds.bucketStart(of: -1) == -7 * second)
        #expect(sevenSeconds.bucketStart(of: 7 * second) == 7 * second)
        #expect(sevenSeconds.bucketEnd(startingAt: -7 * second) == 0)
    }

    @Test func weeksStartOnMondayAsISO8601Says() throws {
        let week = try Bucketing(.nanoseconds(7 * day))
        // 2026-11-30 is a Monday, 2026-12-03 a Thursday, 2026-12-06 a Sunday.
        #expect(week.bucketStart(of: date(2026, 12, 3) + 5 * second) == date(2026, 11, 30))
        #expect(week.bucketStart(of: date(2026, 12, 7) - 1) == date(2026, 11, 30))
        #expect(week.bucketStart(of: date(2026, 12, 7)) == date(2026, 12, 7))
        #expect(week.bucketEnd(startingAt: date(2026, 11, 30)) == date(2026, 12, 7))
        // The epoch (a Thursday) lies in the week of Monday 1969-12-29.
        #expect(week.bucketStart(of: 0) == date(1969, 12, 29))
        #expect(week.bucketStart(of: date(1970, 1, 5)) == date(1970, 1, 5))
        // Two-week buckets count from Monday 1970-01-05 too.
        let fortnight = try Bucketing(.nanoseconds(14 * day))
        #expect(fortnight.bucketStart(of: date(1970, 1, 18)) == date(1970, 1, 5))
        #expect(fortnight.bucketStart(of: date(1970, 1, 19)) == date(1970, 1, 19))
        // Widths that are not whole weeks still align to the epoch.
        #expect(try Bucketing(.nanoseconds(3 * day)).bucketStart(of: 0) == 0)
        // The extremes still saturate without trapping.
        #expect(week.bucketStart(of: .min) == .min)
        #expect(week.bucketEnd(startingAt: .min) > .min)
        #expect(week.bucketEnd(startingAt: week.bucketStart(of: .max)) == .max)
        #expect(week.bucketStart(of: .max) < .max)
    }

    @Test func monthBuckets() throws {
        let one = try Bucketing(.months(1))
        #expect(one.bucketStart(of: date(1969, 12, 15)) == date(1969, 12, 1))
        #expect(one.bucketEnd(startingAt: date(1969, 12, 1)) == 0)
        #expect(one.bucketStart(of: date(2000, 3, 1) - 1) == date(2000, 2, 1))
        #expect(one.bucketEnd(startingAt: date(2000, 2, 1)) == date(2000, 3, 1))
        let quarter = try Bucketing(.months(3))
        #expect(quarter.bucketStart(of: date(1969, 12, 15)) == date(1969, 10, 1))
        #expect(quarter.bucketEnd(startingAt: date(1969, 10, 1)) == 0)
        #expect(quarter.bucketStart(of: date(1970, 4, 1) - 1) == 0)
        #expect(quarter.bucketEnd(startingAt: 0) == date(1970, 4, 1))
        let year = try Bucketing(.months(12))
        #expect(year.bucketStart(of: date(2000, 6, 7)) == date(2000, 1, 1))
        #expect(year.bucketStart(of: -1) == date(1969, 1, 1))
    }

    @Test func extremesSaturate() throws {
        let ns = try Bucketing(.nanoseconds(1))
        #expect(ns.bucketStart(of: .max) == .max)
        #expect(ns.bucketEnd(startingAt: .max) == .max)
        #expect(ns.bucketStart(of: .min) == .min)
        #expect(ns.bucketEnd(startingAt: .min) == .min + 1)
        let days = try Bucketing(.nanoseconds(day))
        #expect(days.bucketStart(of: .min) == .min)
        #expect(days.bucketEnd(startingAt: .min) == date(1677, 9, 22))
        #expect(days.bucketEnd(startingAt: days.bucketStart(of: .max)) == .max)
        let month = try Bucketing(.months(1))
        #expect(month.bucketStart(of: .min) == .min)
        #expect(month.bucketEnd(startingAt: .min) == date(1677, 10, 1))
        #expect(month.bucketEnd(startingAt: month.bucketStart(of: .max)) == .max)
        let huge = try Bucketing(.months(.max))
        #expect(huge.bucketStart(of: 0) == 0)
        #expect(huge.bucketEnd(startingAt: 0) == .max)
        #expect(huge.bucketStart(of: -1) == .min)
        let wide = try Bucketing(.nanoseconds(.max))
        #expect(wide.bucketStart(of: -1) == -.max)
        #expect(wide.bucketStart(of: .min) == .min)
        #expect(wide.bucketEnd(startingAt: 0) == .max)
    }

    /// Every timestamp lies in its bucket, and a bucket's end starts the next bucket.
    @Test func bucketsTileTheTimeline() throws {
        var rng = SeededRandom(seed: 0xB0C4E7)
        let widths: [BucketWidth] = [.nanoseconds(1), .nanoseconds(7 * second), .nanoseconds(3600 * second),
                                     .nanoseconds(day), .nanoseconds(7 * day), .nanoseconds(14 * day),
                                     .months(1), .months(3), .months(7)]
        for width in widths {
            let b = try Bucketing(width)
            for _ in 0..<2000 {
                let ts = rng.chance(0.5) ? Int64.random(in: .min ... .max, using: &rng)
                                         : Int64.random(in: -100 * 365 * day ... 100 * 365 * day, using: &rng)
                let start = b.bucketStart(of: ts)
                let end = b.bucketEnd(startingAt: start)
                #expect(start <= ts)
                #expect(ts < end || end == .max)
                #expect(b.bucketStart(of: start) == start)
                if end != .max {
                    #expect(b.bucketStart(of: end) == end)
                    #expect(b.bucketStart(of: end - 1) == start)
                }
            }
        }
    }
}
