import Testing
@testable import ChunkStore

/// Day, week and month buckets in a local calendar: DST days of 23 and 25 hours, Monday
/// weeks, months, clocks that change at midnight, and the tiling invariants in real zones.
@Suite struct QueryLocalBucketingTests {
    let hour: Int64 = 3_600_000_000_000
    let day = CivilTime.nanosPerDay

    func utc(_ y: Int64, _ m: Int, _ d: Int, _ h: Int64 = 0) -> Int64 {
        CivilTime.days(fromCivil: y, month: m, day: d) * day + h * hour
    }

    @Test func parisDaysLast23And25HoursWhenClocksChange() throws {
        let paris = try TimeZoneRulesTests.zone("Europe-Paris", name: "Europe/Paris")
        let days = try Bucketing(.nanoseconds(day), timeZone: paris)
        // 2026-03-29 local starts at 23:00Z the day before and lasts 23 hours.
        let spring = days.bucketStart(of: utc(2026, 3, 29, 12))
        #expect(spring == utc(2026, 3, 28, 23))
        #expect(days.bucketEnd(startingAt: spring) - spring == 23 * hour)
        // 2026-10-25 lasts 25 hours.
        let autumn = days.bucketStart(of: utc(2026, 10, 25, 12))
        #expect(autumn == utc(2026, 10, 24, 22))
        #expect(days.bucketEnd(startingAt: autumn) - autumn == 25 * hour)
        // Local midnight is the boundary: 22:59:59Z on 2026-07-01 is still July 1st.
        #expect(days.bucketStart(of: utc(2026, 7, 1, 22) - 1) == utc(2026, 6, 30, 22))
        #expect(days.bucketStart(of: utc(2026, 7, 1, 22)) == utc(2026, 7, 1, 22))
    }

    @Test func localWeeksStartOnMondayAndMonthsOnTheFirst() throws {
        let paris = try TimeZoneRulesTests.zone("Europe-Paris", name: "Europe/Paris")
        let weeks = try Bucketing(.nanoseconds(7 * day), timeZone: paris)
        // Thursday 2026-12-03 12:00Z lies in the week of Monday 2026-11-30, local midnight.
        #expect(weeks.bucketStart(of: utc(2026, 12, 3, 12)) == utc(2026, 11, 29, 23))
        #expect(weeks.bucketEnd(startingAt: utc(2026, 11, 29, 23)) == utc(2026, 12, 6, 23))
        // The week holding the spring change lasts 7 days less an hour.
        let springWeek = weeks.bucketStart(of: utc(2026, 3, 27))
        #expect(weeks.bucketEnd(startingAt: springWeek) - springWeek == 7 * day - hour)
        let months = try Bucketing(.months(1), timeZone: paris)
        #expect(months.bucketStart(of: utc(2026, 3, 15)) == utc(2026, 2, 28, 23))
        #expect(months.bucketEnd(startingAt: utc(2026, 2, 28, 23)) == utc(2026, 3, 31, 22))
        let quarters = try Bucketing(.months(3), timeZone: paris)
        #expect(quarters.bucketStart(of: utc(2026, 5, 5)) == utc(2026, 3, 31, 22))
        // Widths shorter than a day keep their epoch alignment.
        let hours = try Bucketing(.nanoseconds(hour), timeZone: paris)
        #expect(hours.bucketStart(of: utc(2026, 3, 29, 1) + 5) == utc(2026, 3, 29, 1))
    }

    /// A zone whose clocks change at local midnight: forward, the day starts at 01:00 local;
    /// back, at the first of the two midnights.
    @Test func clocksChangingAtMidnight() throws {
        let d = CivilTime.days(fromCivil: 2030, month: 6, day: 10)
        let forward = TimeZoneRules(name: "Test/Forward", transitions: [d * 86_400], offsets: [0, 3600], futureRule: nil)
        let days = try Bucketing(.nanoseconds(day), timeZone: forward)
        #expect(days.bucketStart(of: d * day + 2 * hour) == d * day)
        #expect(days.bucketEnd(startingAt: d * day) == (d + 1) * day - hour)
        #expect(days.bucketStart(of: d * day - 1) == (d - 1) * day)
        let back = TimeZoneRules(name: "Test/Back", transitions: [d * 86_400], offsets: [3600, 0], futureRule: nil)
        let backDays = try Bucketing(.nanoseconds(day), timeZone: back)
        // Local midnight of day d happens at d*day - 1h (old offset) and again at d*day.
        #expect(backDays.bucketStart(of: d * day + hour) == d * day - hour)
        #expect(backDays.bucketEnd(startingAt: d * day - hour) == (d + 1) * day)
    }

    /// Every timestamp lies in its bucket and buckets tile the timeline, in zones east and
    /// west, north and south, with half-hour offsets, over the whole range of years.
    @Test func localBucketsTileTheTimeline() throws {
        let zones = [try TimeZoneRulesTests.zone("Europe-Paris", name: "Europe/Paris"),
                     try TimeZoneRulesTests.zone("Australia-Sydney", name: "Australia/Sydney"),
                     try TimeZoneRulesTests.zone("Asia-Kolkata", name: "Asia/Kolkata")]
        var rng = SeededRandom(seed: 0x10CA1)
        let widths: [BucketWidth] = [.nanoseconds(day), .nanoseconds(2 * day), .nanoseconds(7 * day), .months(1), .months(3)]
        for zone in zones {
            for width in widths {
                let b = try Bucketing(width, timeZone: zone)
                for _ in 0..<1500 {
                    let ts = Int64.random(in: -200 * 365 * day ... 200 * 365 * day, using: &rng)
                    let start = b.bucketStart(of: ts)
                    let end = b.bucketEnd(startingAt: start)
                    #expect(start <= ts && ts < end, "\(zone) \(width) \(ts)")
                    #expect(b.bucketStart(of: start) == start)
                    #expect(b.bucketStart(of: end) == end)
                    #expect(b.bucketStart(of: end - 1) == start)
                    #expect(end - start >= 20 * hour)
                }
                // The extremes neither trap nor leave the range.
                for ts in [Int64.min, .min + 1, .max, .max - 1] {
                    let start = b.bucketStart(of: ts)
                    #expect(start <= ts)
                    _ = b.bucketEnd(startingAt: start)
                }
            }
        }
    }

    /// Through the store: a reading every minute over Paris's spring change counts 1,380
    /// readings for the short day, and the raw rows agree bucket by bucket.
    @Test func storeDownsamplesInLocalDays() throws {
        let paris = try TimeZoneRulesTests.zone("Europe-Paris", name: "Europe/Paris")
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = StoreOptions()
        options.sync = .none
        let store = try Store.open(at: dir.child("s"), options: options)
        let minute: Int64 = 60_000_000_000
        let first = utc(2026, 3, 27, 23), last = utc(2026, 3, 31, 22)
        let rows = stride(from: first, to: last, by: Int(minute)).map {
            Row(device: "m", timestamp: $0, fields: ["p": .int(1)])
        }
        try store.append(rows)
        try store.flush()
        let answer = try store.downsample(DownsampleQuery(device: "m", fields: ["p"], bucket: .nanoseconds(day),
                                                          functions: [.count], timeZone: paris))
        #expect(answer.map(\.bucketStart) == [utc(2026, 3, 27, 23), utc(2026, 3, 28, 23), utc(2026, 3, 29, 22),
                                               utc(2026, 3, 30, 22)])
        #expect(answer.map(\.values) == [[.int(1440)], [.int(1380)], [.int(1440)], [.int(1440)]])
        try store.close()
    }
}
