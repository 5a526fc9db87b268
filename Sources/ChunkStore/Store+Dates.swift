#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `Date` and `Duration` overloads beside the raw nanoseconds, converted by ``StoreTime``'s
/// rules (a `Date` to the nearest nanosecond; a `Duration` exactly, or refused).
extension Store {
    /// ``range(device:from:to:fields:)-(_,Int64?,Int64?,_)`` with `from` and `to` as dates:
    /// the rows with `from <= time < to`.
    ///
    /// - Throws: ``StoreError/invalidArgument(_:)`` for a date outside the times a store
    ///   holds (see ``StoreTime/nanoseconds(_:)-(Date)``), or the errors of the raw call.
    public func range(device: String, from: Date, to: Date, fields: [String]? = nil) throws(StoreError) -> RangeResult {
        try range(device: device, from: StoreTime.nanoseconds(from), to: StoreTime.nanoseconds(to), fields: fields)
    }

    /// ``range(device:from:to:fields:)-(_,Date,Date,_)`` on the store's read threads.
    public func range(device: String, from: Date, to: Date, fields: [String]? = nil) async throws(StoreError) -> RangeResult {
        try await range(device: device, from: StoreTime.nanoseconds(from), to: StoreTime.nanoseconds(to), fields: fields)
    }

    /// ``drop(before:device:)-(Int64,_)`` with the cut-off as a date.
    public func drop(before date: Date, device: String? = nil) throws(StoreError) -> DropReport {
        try drop(before: StoreTime.nanoseconds(date), device: device)
    }

    /// ``drop(before:device:)-(Date,_)`` on the store's write thread.
    public func drop(before date: Date, device: String? = nil) async throws(StoreError) -> DropReport {
        try await drop(before: StoreTime.nanoseconds(date), device: device)
    }
}

extension BucketWidth {
    /// A fixed width of `duration` (``nanoseconds(_:)``), e.g. `try BucketWidth(.seconds(300))`.
    /// A whole number of days keeps day buckets, of weeks week buckets (see ``BucketWidth``).
    ///
    /// - Throws: ``StoreError/invalidArgument(_:)`` unless `duration` is positive, a whole
    ///   number of nanoseconds, and fits in 64 bits.
    public init(_ duration: Duration) throws(StoreError) {
        let nanoseconds = try StoreTime.nanoseconds(duration)
        guard nanoseconds > 0 else { throw .invalidArgument("a bucket width must be positive, got \(duration)") }
        self = .nanoseconds(nanoseconds)
    }
}

extension DownsampleQuery {
    /// A query over `from <= time < to` given as dates, with buckets `every` wide:
    /// `try DownsampleQuery(device: "m1", from: start, to: end, fields: ["power"], every: .seconds(300))`.
    ///
    /// - Throws: ``StoreError/invalidArgument(_:)`` for a date outside the times a store
    ///   holds or a width that ``BucketWidth/init(_:)`` refuses.
    public init(device: String?, from: Date, to: Date, fields: [String], every bucket: Duration,
                functions: [AggregateFunction] = [.mean], timeZone: TimeZoneRules = .utc) throws(StoreError) {
        self.init(device: device, from: try StoreTime.nanoseconds(from), to: try StoreTime.nanoseconds(to), fields: fields,
                  bucket: try BucketWidth(bucket), functions: functions, timeZone: timeZone)
    }

    /// A query over all time (or the bounds set afterwards), with buckets `every` wide.
    ///
    /// - Throws: ``StoreError/invalidArgument(_:)`` for a width that ``BucketWidth/init(_:)`` refuses.
    public init(device: String?, fields: [String], every bucket: Duration,
                functions: [AggregateFunction] = [.mean], timeZone: TimeZoneRules = .utc) throws(StoreError) {
        self.init(device: device, fields: fields, bucket: try BucketWidth(bucket), functions: functions, timeZone: timeZone)
    }
}
