/// The width of downsampling buckets. Buckets align to the Unix epoch, except whole weeks,
/// which start on Monday (ISO 8601);
/// day buckets start at UTC midnight and month buckets on the 1st of a UTC calendar month.
public enum BucketWidth: Sendable, Hashable, CustomStringConvertible {
    /// A fixed width in nanoseconds (> 0): `1s`, `5m`, `1h`, `1d` and so on.
    case nanoseconds(Int64)
    /// A number (> 0) of UTC calendar months.
    case months(Int)

    /// `<n>ns` or `<n>mo`.
    public var description: String {
        switch self {
        case .nanoseconds(let ns): "\(ns)ns"
        case .months(let m): "\(m)mo"
        }
    }
}
