/// How the store resolves two values for the same device, timestamp and field.
///
/// Chosen when the store is created and recorded in its manifest; it applies to
/// duplicates within one append, across appends, and across sealed chunks.
public enum DuplicatePolicy: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The value that arrived last wins (the default).
    case last = 1
    /// The value that arrived first wins.
    case first = 2
    /// The smaller value wins (for booleans: logical AND).
    case min = 3
    /// The larger value wins (for booleans: logical OR).
    case max = 4
    /// Values are added (signed and unsigned integers wrap modulo 2^64 on overflow;
    /// booleans: logical OR).
    case sum = 5

    /// The policy's name as used by the CLI: `last`, `first`, `min`, `max`, `sum`.
    public var description: String {
        switch self {
        case .last: "last"
        case .first: "first"
        case .min: "min"
        case .max: "max"
        case .sum: "sum"
        }
    }

    /// Parses a policy name.
    public init?(name: String) {
        guard let p = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = p
    }

    /// Combines an earlier-arrived value `old` with a later-arrived `new` of the same type,
    /// both given as storage bits.
    func resolve(old: UInt64, new: UInt64, type: FieldType) -> UInt64 {
        switch self {
        case .last: return new
        case .first: return old
        case .min:
            // A NaN never wins over a number, so one bad reading does not hide good ones;
            // a tie keeps the earlier value.
            return type.less(new, old) ? new : old
        case .max:
            return type.greater(new, old) ? new : old
        case .sum:
            return type.policySum(old, new)
        }
    }
}
