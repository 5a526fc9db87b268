/// A problem with a rules file, naming where (a rule index and field, or a byte offset)
/// and what is wrong.
public struct RulesError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where: `rule 2 (hot-meter) field "above"`, `byte 17`, or the file.
    public var location: String
    /// What is wrong.
    public var problem: String

    /// A problem at `location`.
    public init(where location: String, problem: String) {
        self.location = location
        self.problem = problem
    }

    /// `<where>: <problem>`.
    public var description: String { location + ": " + problem }
}
