/// "Did you mean ...?" for names a user typed: the closest known name by edit distance,
/// when it is close enough to be a likely typo.
package enum NameSuggestion {
    /// The known name nearest to `typed` (Levenshtein distance over characters), if its
    /// distance is at most a third of the longer name, and at least 1 and at most 3 edits.
    package static func closest(to typed: String, among known: some Sequence<String>) -> String? {
        let target = Array(typed)
        var best: (name: String, distance: Int)?
        for name in known {
            let candidate = Array(name)
            let limit = min(3, max(1, max(target.count, candidate.count) / 3))
            guard abs(candidate.count - target.count) <= limit else { continue }
            let d = distance(target, candidate)
            if d <= limit, d < (best?.distance ?? .max) { best = (name, d) }
        }
        return best?.name
    }

    /// ` (did you mean "x"?)`, or nothing.
    package static func hint(for typed: String, among known: some Sequence<String>) -> String {
        closest(to: typed, among: known).map { " (did you mean \"\($0)\"?)" } ?? ""
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
