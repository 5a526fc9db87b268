#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The exact rules by which `Date` and `Duration` become the store's timestamps (signed
/// 64-bit nanoseconds since 1970-01-01T00:00:00Z) and back. Every `Date` and `Duration`
/// overload of the library converts with these functions, so a service can apply them
/// itself and get the same numbers.
public enum StoreTime {
    /// The earliest instant a timestamp can hold: 1677-09-21T00:12:43.145224192Z.
    public static let earliest: Int64 = .min
    /// The latest instant a timestamp can hold: 2262-04-11T23:47:16.854775807Z.
    public static let latest: Int64 = .max

    /// Seconds from 1970-01-01 (the store's epoch) to 2001-01-01 (`Date`'s reference date).
    static let referenceDateOffset: Int64 = 978_307_200

    /// The timestamp of `date`: its instant rounded to the nearest nanosecond, a tie going
    /// to the later instant.
    ///
    /// A `Date` holds a `Double` of seconds since 2001-01-01, which resolves present-day
    /// instants to about a quarter of a microsecond; the conversion starts from that
    /// `Double` itself (split into whole seconds and an exact fraction), so the only
    /// rounding is the final one to a nanosecond. ``date(_:)`` gives back the same `Date`
    /// for every timestamp it produced.
    ///
    /// - Throws: ``StoreError/invalidArgument(_:)`` for a date that is not finite or lies
    ///   outside ``earliest``...``latest`` (before 1677-09-21 or after 2262-04-11).
    public static func nanoseconds(_ date: Date) throws(StoreError) -> Int64 {
        let interval = date.timeIntervalSinceReferenceDate
        guard interval.isFinite else {
            throw .invalidArgument("date \(interval) s since 2001-01-01 is not a finite instant")
        }
        let whole = interval.rounded(.down)
        let fraction = interval - whole  // exact: both lie within one binade of the interval
        let outOfRange = StoreError.invalidArgument(
            "date \(date) is outside the times a store holds (\(TimeParsing.formatRFC3339(earliest)) to \(TimeParsing.formatRFC3339(latest)))")
        // |whole| below 2^40 s keeps every step below exact; wider is out of range anyway.
        guard abs(whole) < 1_099_511_627_776 else { throw outOfRange }
        let seconds = Int64(whole) + referenceDateOffset
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflow2) = scaled.addingReportingOverflow(Int64((fraction * 1e9).rounded(.toNearestOrAwayFromZero)))
        guard !overflow, !overflow2 else { throw outOfRange }
        return total
    }

    /// The `Date` nearest to timestamp `nanoseconds` (a `Date` cannot hold every
    /// nanosecond: see ``nanoseconds(_:)-(Date)``). Never fails.
    public static func date(_ nanoseconds: Int64) -> Date {
        let (seconds, remainder) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        let whole = seconds - referenceDateOffset - (remainder < 0 ? 1 : 0)
        let fraction = remainder < 0 ? remainder + 1_000_000_000 : remainder
        return Date(timeIntervalSinceReferenceDate: Double(whole) + Double(fraction) / 1e9)
    }

    /// `duration` in nanoseconds. It must be a whole number of nanoseconds (a `Duration`
    /// can hold attoseconds) and fit in 64 bits (about ±292 years).
    ///
    /// - Throws: ``StoreError/invalidArgument(_:)`` naming the duration otherwise.
    public static func nanoseconds(_ duration: Duration) throws(StoreError) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard attoseconds % 1_000_000_000 == 0 else {
            throw .invalidArgument("duration \(duration) is not a whole number of nanoseconds")
        }
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        guard !overflow, !overflow2 else {
            throw .invalidArgument("duration \(duration) does not fit in 64-bit nanoseconds (about 292 years)")
        }
        return total
    }
}
