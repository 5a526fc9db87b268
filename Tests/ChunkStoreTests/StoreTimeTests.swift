import ChunkStore
import Foundation
import Testing

/// `StoreTime.swift` and `Store+Dates.swift`: how dates and durations become nanoseconds,
/// and the `Date`/`Duration` overloads that use those rules.
@Suite struct StoreTimeTests {
    static let start: Int64 = 1_767_225_600_000_000_000  // 2026-01-01T00:00:00Z

    @Test func datesBecomeTheNearestNanosecond() throws {
        #expect(try StoreTime.nanoseconds(Date(timeIntervalSince1970: 0)) == 0)
        #expect(try StoreTime.nanoseconds(Date(timeIntervalSince1970: 1_767_225_600)) == Self.start)
        #expect(try StoreTime.nanoseconds(Date(timeIntervalSince1970: -1.5)) == -1_500_000_000)
        // 0.25 s is exact in binary, so no rounding at all.
        #expect(try StoreTime.nanoseconds(Date(timeIntervalSince1970: 1_767_225_600.25)) == Self.start + 250_000_000)
        // A present-day Date resolves ~0.24 µs: the answer is within half of that.
        let ns = try StoreTime.nanoseconds(Date(timeIntervalSince1970: 1_767_225_600.123456789))
        #expect(abs(ns - (Self.start + 123_456_789)) < 200)
        // Back and forth: a timestamp made from a Date gives that Date back.
        for seconds in [0.0, -86_400.75, 1_767_225_600.123456789, 4_102_444_800.5] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(StoreTime.date(try StoreTime.nanoseconds(date)) == date)
        }
        #expect(StoreTime.date(-1_500_000_000) == Date(timeIntervalSince1970: -1.5))  // negative remainders floor
        #expect(StoreTime.date(StoreTime.latest) > Date(timeIntervalSince1970: 9_223_372_036))
    }

    @Test func datesOutsideTheStoresTimesAreRefused() {
        #expect(throws: StoreError.self) { try StoreTime.nanoseconds(Date(timeIntervalSince1970: 9_300_000_000)) }
        #expect(throws: StoreError.self) { try StoreTime.nanoseconds(Date(timeIntervalSince1970: -9_300_000_000)) }
        #expect(throws: StoreError.self) { try StoreTime.nanoseconds(Date.distantFuture) }
        #expect(throws: StoreError.self) { try StoreTime.nanoseconds(Date(timeIntervalSinceReferenceDate: .infinity)) }
        do {
            _ = try StoreTime.nanoseconds(Date.distantPast)
            Issue.record("distantPast was accepted")
        } catch {
            guard case .invalidArgument(let message) = error else { Issue.record("\(error)"); return }
            #expect(message.contains("1677-09-21T00:12:43.145224192Z"), "\(message)")
            #expect(message.contains("2262-04-11T23:47:16.854775807Z"), "\(message)")
        }
    }

    @Test func durationsMustBeWholeNanoseconds() throws {
        #expect(try StoreTime.nanoseconds(Duration.seconds(5)) == 5_000_000_000)
        #expect(try StoreTime.nanoseconds(Duration.milliseconds(-3)) == -3_000_000)
        #expect(try StoreTime.nanoseconds(Duration.nanoseconds(1)) == 1)
        let fractional = #expect(throws: StoreError.self) {
            try StoreTime.nanoseconds(Duration.nanoseconds(1) + Duration(secondsComponent: 0, attosecondsComponent: 500_000_000))
        }
        #expect(fractional?.description.hasSuffix("is not a whole number of nanoseconds") == true)
        #expect(throws: StoreError.self) { try StoreTime.nanoseconds(Duration.seconds(Int64.max / 2)) }
        #expect(try BucketWidth(.seconds(300)) == .nanoseconds(300_000_000_000))
        #expect(throws: StoreError.self) { try BucketWidth(.zero) }
        #expect(throws: StoreError.self) { try BucketWidth(.seconds(-1)) }
    }

    @Test func dateAndDurationOverloadsQueryAsTheRawOnes() throws {
        let dir = TemporaryDirectory("dates")
        defer { dir.remove() }
        let store = try Store.open(at: dir.child("s"), options: StoreOptions(sync: .none))
        defer { try? store.close() }
        try store.append((0..<120).map { Row(device: "m", timestamp: Self.start + Int64($0) * 60_000_000_000, fields: ["p": .float(Double($0))]) })
        let from = Date(timeIntervalSince1970: 1_767_225_600 + 600), to = Date(timeIntervalSince1970: 1_767_225_600 + 3_600)
        let byDate = try store.range(device: "m", from: from, to: to)
        #expect(byDate == (try store.range(device: "m", from: Self.start + 600_000_000_000, to: Self.start + 3_600_000_000_000)))
        #expect(byDate.count == 50)

        let query = try DownsampleQuery(device: "m", from: from, to: to, fields: ["p"], every: .seconds(1_800), functions: [.count])
        #expect(query == DownsampleQuery(device: "m", from: Self.start + 600_000_000_000, to: Self.start + 3_600_000_000_000,
                                         fields: ["p"], bucket: .nanoseconds(1_800_000_000_000), functions: [.count]))
        #expect(try store.downsample(query).map(\.values) == [[.int(20)], [.int(30)]])
        let allTime = try DownsampleQuery(device: "m", fields: ["p"], every: .seconds(3_600), functions: [.count])
        #expect(try store.downsample(allTime).map(\.values) == [[.int(60)], [.int(60)]])
        #expect(throws: StoreError.self) {
            _ = try DownsampleQuery(device: "m", from: Date.distantPast, to: to, fields: ["p"], every: .seconds(1))
        }
        // Retention already takes a Duration; drop takes a Date.
        let report = try store.drop(before: Date(timeIntervalSince1970: 1_767_225_600 + 86_400))
        #expect(report.daysDropped == ["2026-01-01"])
        #expect(try store.drop(before: Date(timeIntervalSince1970: 0)).chunksDropped == 0)
    }

    @Test func asyncDateOverloadsAnswerAsTheSynchronousOnes() async throws {
        let dir = TemporaryDirectory("dates")
        defer { dir.remove() }
        let store = try await Store.open(at: dir.child("s"), options: StoreOptions(sync: .none))
        try await store.append((0..<120).map { Row(device: "m", timestamp: Self.start + Int64($0) * 60_000_000_000, fields: ["p": .float(Double($0))]) })
        let from = Date(timeIntervalSince1970: 1_767_225_600 + 600), to = Date(timeIntervalSince1970: 1_767_225_600 + 3_600)
        let byDate: RangeResult = try await store.range(device: "m", from: from, to: to, fields: ["p"])
        #expect(byDate.map(\.timestamp) == (10..<60).map { Self.start + Int64($0) * 60_000_000_000 })
        await #expect(throws: StoreError.self) { _ = try await store.range(device: "m", from: Date.distantPast, to: to) }
        let report: DropReport = try await store.drop(before: Date(timeIntervalSince1970: 1_767_225_600 + 86_400))
        #expect(report.daysDropped == ["2026-01-01"])
        try await store.close()
    }
}
