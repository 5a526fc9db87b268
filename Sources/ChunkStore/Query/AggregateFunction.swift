/// An aggregate computed per bucket by a downsampling query.
public enum AggregateFunction: String, Sendable, Hashable, CaseIterable {
    /// Number of present values (`.int`).
    case count
    /// Sum of the values (`.float`; booleans count 1 for true).
    case sum
    /// Smallest value, of the field's type (NaN only when every value is NaN).
    case min
    /// Largest value, of the field's type (NaN only when every value is NaN).
    case max
    /// `sum / count` (`.float`).
    case mean
    /// Value at the earliest timestamp in the bucket, of the field's type.
    case first
    /// Value at the latest timestamp in the bucket, of the field's type.
    case last
}
