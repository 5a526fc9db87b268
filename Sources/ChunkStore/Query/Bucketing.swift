/// Maps timestamps to downsampling buckets for one ``BucketWidth``.
///
/// Fixed widths align to the Unix epoch: bucket `k` is `[k*w, (k+1)*w)` with `k` from
/// floor division, so negative (pre-1970) timestamps land in the right bucket and any
/// multiple of a day starts at UTC midnight without special casing.
///
/// Month widths count UTC calendar months from 1970-01 (index 0); an `n`-month bucket
/// holds month indices `[k*n, (k+1)*n)` with `k = floor(index / n)`, so 3-month buckets
/// are calendar quarters and 12-month buckets calendar years.
///
/// The first and last buckets of the `Int64` range may extend past it; their starts
/// saturate at `Int64.min` and their ends at `Int64.max`. Because saturation only ever
/// affects those two buckets, bucket starts remain distinct and can serve as keys.
struct Bucketing: Sendable, Hashable {
    private enum Kind: Hashable {
        case fixed(Int64)
        case months(Int64)
    }

    private let kind: Kind

    /// Validates the width; widths of zero or less make no buckets and are rejected.
    init(_ width: BucketWidth) throws(StoreError) {
        switch width {
        case .nanoseconds(let ns):
            guard ns > 0 else { throw .invalidArgument("bucket width must be positive, got \(width)") }
            kind = .fixed(ns)
        case .months(let m):
            guard m > 0 else { throw .invalidArgument("bucket width must be positive, got \(width)") }
            kind = .months(Int64(m))
        }
    }

    /// Start of the bucket holding `ts` (saturating at `Int64.min`).
    func bucketStart(of ts: Int64) -> Int64 {
        switch kind {
        case .fixed(let w):
            return CivilTime.saturatingMultiply(CivilTime.floorDiv(ts, w), w)
        case .months(let n):
            let first = CivilTime.floorDiv(CivilTime.monthIndex(ofNanos: ts), n)
            return CivilTime.startOfMonth(index: CivilTime.saturatingMultiply(first, n))
        }
    }

    /// Exclusive end of the bucket that starts at `start` (a value returned by
    /// ``bucketStart(of:)``), saturating at `Int64.max`.
    ///
    /// The end is computed from the bucket index of `start`, not by adding the width to
    /// it, so a start saturated to `Int64.min` still yields its bucket's real end.
    /// When the result is `Int64.max` the bucket may also contain `Int64.max` itself;
    /// callers that care compare ``bucketStart(of:)`` instead.
    func bucketEnd(startingAt start: Int64) -> Int64 {
        switch kind {
        case .fixed(let w):
            let k = CivilTime.floorDiv(start, w)
            // (k + 1) * w is at most start + w; it can only overflow past Int64.max.
            return CivilTime.saturatingMultiply(CivilTime.saturatingAdd(k, 1), w)
        case .months(let n):
            let k = CivilTime.floorDiv(CivilTime.monthIndex(ofNanos: start), n)
            return CivilTime.startOfMonth(index: CivilTime.saturatingMultiply(CivilTime.saturatingAdd(k, 1), n))
        }
    }
}
