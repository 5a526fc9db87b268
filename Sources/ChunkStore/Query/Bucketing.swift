/// Maps timestamps to downsampling buckets for one ``BucketWidth``.
///
/// Fixed widths align to the Unix epoch: bucket `k` is `[k*w, (k+1)*w)` with `k` from
/// floor division, so negative (pre-1970) timestamps land in the right bucket and any
/// multiple of a day starts at UTC midnight without special casing. Widths that are a
/// whole number of weeks are the exception: ISO 8601 weeks start on Monday, and the epoch
/// fell on a Thursday, so they align to Monday 1970-01-05 instead (bucket `k` is
/// `[o + k*w, o + (k+1)*w)` with `o` four days).
///
/// Month widths count UTC calendar months from 1970-01 (index 0); an `n`-month bucket
/// holds month indices `[k*n, (k+1)*n)` with `k = floor(index / n)`, so 3-month buckets
/// are calendar quarters and 12-month buckets calendar years.
///
/// With a time zone other than UTC, widths of whole days (and so weeks) and months follow
/// the local calendar instead: a bucket starts at the first instant of a local day (local
/// midnight, or the end of a DST gap that swallows it), so a day bucket lasts 23 or 25 hours
/// on the days clocks change. Widths shorter than a day stay aligned to the epoch.
///
/// The first and last buckets of the `Int64` range may extend past it; their starts
/// saturate at `Int64.min` and their ends at `Int64.max`. Because saturation only ever
/// affects those two buckets, bucket starts remain distinct and can serve as keys.
struct Bucketing: Sendable, Hashable {
    /// The calendar kinds of bucket; fixed widths are the plain fields below instead, so
    /// the common case reads two integers rather than copying a time zone's rules.
    private enum Calendar: Hashable {
        case months(Int64)
        /// `n` local days counted from local day `originDay` (day numbers since 1970-01-01).
        case localDays(Int64, originDay: Int64, zone: TimeZoneRules)
        case localMonths(Int64, zone: TimeZoneRules)
    }

    /// nil for a fixed width.
    private let calendar: Calendar?
    /// A fixed width and the origin its buckets align to (`0 <= origin < width`); 0 and 0
    /// for a calendar kind.
    private let fixedWidth: Int64
    private let fixedOrigin: Int64

    private static let week: Int64 = 7 * 86_400_000_000_000
    /// 1970-01-05T00:00:00Z, the first Monday after the epoch.
    private static let firstMonday: Int64 = 4 * 86_400_000_000_000

    /// Validates the width; widths of zero or less make no buckets and are rejected.
    init(_ width: BucketWidth, timeZone: TimeZoneRules = .utc) throws(StoreError) {
        let local = timeZone != .utc
        var fixed: (width: Int64, origin: Int64) = (0, 0)
        switch width {
        case .nanoseconds(let ns):
            guard ns > 0 else { throw .invalidArgument("bucket width must be positive, got \(width)") }
            let weeks = ns % Self.week == 0
            if local && ns % CivilTime.nanosPerDay == 0 {
                calendar = .localDays(ns / CivilTime.nanosPerDay, originDay: weeks ? 4 : 0, zone: timeZone)
            } else {
                calendar = nil
                fixed = (ns, weeks ? Self.firstMonday : 0)
            }
        case .months(let m):
            guard m > 0 else { throw .invalidArgument("bucket width must be positive, got \(width)") }
            calendar = local ? .localMonths(Int64(m), zone: timeZone) : .months(Int64(m))
        }
        (fixedWidth, fixedOrigin) = fixed
    }

    /// Start of the bucket holding `ts` (saturating at `Int64.min`).
    func bucketStart(of ts: Int64) -> Int64 {
        // Tested by the width, not by binding `calendar`: that would copy a zone's rules.
        if fixedWidth > 0 {
            return Self.start(ofBucket: Self.bucketIndex(of: ts, width: fixedWidth, origin: fixedOrigin),
                              width: fixedWidth, origin: fixedOrigin)
        }
        switch calendar {
        case nil: return ts  // unreachable: a calendar kind has no fixed width
        case .months(let n):
            let first = CivilTime.floorDiv(CivilTime.monthIndex(ofNanos: ts), n)
            return CivilTime.startOfMonth(index: CivilTime.saturatingMultiply(first, n))
        case .localDays(let n, let origin, let zone):
            let k = CivilTime.floorDiv(Self.localDay(of: ts, in: zone) - origin, n)
            return Self.firstInstant(ofLocalDay: origin + k * n, in: zone)
        case .localMonths(let n, let zone):
            let k = CivilTime.floorDiv(Self.localMonth(of: ts, in: zone), n)
            return Self.firstInstant(ofLocalMonth: k * n, in: zone)
        }
    }

    /// Whether every cell of `width` aligned to the epoch (`[k*width, (k+1)*width)`) lies
    /// in one bucket: fixed widths that are multiples of it, from an origin that is too.
    func holdsWholeCells(of width: Int64) -> Bool {
        fixedWidth > 0 && fixedWidth % width == 0 && fixedOrigin % width == 0
    }

    /// Exclusive end of the bucket that starts at `start` (a value returned by
    /// ``bucketStart(of:)``), saturating at `Int64.max`.
    ///
    /// The end is computed from the bucket index of `start`, not by adding the width to
    /// it, so a start saturated to `Int64.min` still yields its bucket's real end.
    /// When the result is `Int64.max` the bucket may also contain `Int64.max` itself;
    /// callers that care compare ``bucketStart(of:)`` instead.
    func bucketEnd(startingAt start: Int64) -> Int64 {
        if fixedWidth > 0 {
            let k = Self.bucketIndex(of: start, width: fixedWidth, origin: fixedOrigin)
            // The end is at most start + width; it can only overflow past Int64.max.
            return Self.start(ofBucket: CivilTime.saturatingAdd(k, 1), width: fixedWidth, origin: fixedOrigin)
        }
        switch calendar {
        case nil: return start  // unreachable: a calendar kind has no fixed width
        case .months(let n):
            let k = CivilTime.floorDiv(CivilTime.monthIndex(ofNanos: start), n)
            return CivilTime.startOfMonth(index: CivilTime.saturatingMultiply(CivilTime.saturatingAdd(k, 1), n))
        case .localDays(let n, let origin, let zone):
            let k = CivilTime.floorDiv(Self.localDay(of: start, in: zone) - origin, n)
            return Self.firstInstant(ofLocalDay: origin + (k + 1) * n, in: zone)
        case .localMonths(let n, let zone):
            let k = CivilTime.floorDiv(Self.localMonth(of: start, in: zone), n)
            return Self.firstInstant(ofLocalMonth: (k + 1) * n, in: zone)
        }
    }

    /// `floor((ts - origin) / w)` without overflowing near `Int64.min`: with
    /// `ts = q*w + r` and `0 <= origin < w`, the index is `q`, or `q - 1` when `r < origin`.
    private static func bucketIndex(of ts: Int64, width w: Int64, origin: Int64) -> Int64 {
        let q = CivilTime.floorDiv(ts, w)
        return CivilTime.floorMod(ts, w) < origin ? q - 1 : q
    }

    /// `origin + k*w`, saturating at both ends of the `Int64` range (computed in 128 bits,
    /// since `k*w` alone may leave the range while the sum does not).
    private static func start(ofBucket k: Int64, width w: Int64, origin: Int64) -> Int64 {
        let exact = Int128(k) * Int128(w) + Int128(origin)
        return Int64(clamping: exact)
    }

    // MARK: Local calendar

    /// Day numbers stay within this many days of the epoch, well past the `Int64`
    /// nanosecond range (1677...2262), so the arithmetic on them cannot overflow.
    private static let dayLimit: Int64 = 1 << 20

    private static func localDay(of ts: Int64, in zone: TimeZoneRules) -> Int64 {
        CivilTime.floorDiv(zone.localNanos(at: ts), CivilTime.nanosPerDay)
    }

    /// Local months since 1970-01.
    private static func localMonth(of ts: Int64, in zone: TimeZoneRules) -> Int64 {
        let (year, month, _) = CivilTime.civil(fromDays: localDay(of: ts, in: zone))
        return (year - 1970) * 12 + Int64(month - 1)
    }

    /// The first instant of local day `day`, saturating outside the `Int64` range.
    private static func firstInstant(ofLocalDay day: Int64, in zone: TimeZoneRules) -> Int64 {
        let local = CivilTime.saturatingMultiply(day, CivilTime.nanosPerDay)
        if local == .min { return .min }
        if local == .max { return .max }
        return zone.firstInstant(atLocalNanos: local)
    }

    private static func firstInstant(ofLocalMonth index: Int64, in zone: TimeZoneRules) -> Int64 {
        let clamped = min(max(index, -dayLimit), dayLimit)
        let day = CivilTime.days(fromCivil: 1970 + CivilTime.floorDiv(clamped, 12),
                                 month: Int(CivilTime.floorMod(clamped, 12)) + 1, day: 1)
        return firstInstant(ofLocalDay: day, in: zone)
    }
}
