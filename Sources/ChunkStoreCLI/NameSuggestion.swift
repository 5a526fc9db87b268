/// "Did you mean X?" for a mistyped device or field name.
enum NameSuggestion {
    /// `"; did you mean \"X\"?"` for the closest of `candidates` within a small edit
    /// distance of `name` (a third of its length, at least 1, at most 3), else "".
    static func hint(for name: String, among candidates: [String]) -> String {
        guard let best = closest(to: name, among: candidates) else { return "" }
        return "; did you mean \"\(best)\"?"
    }

    /// The candidate with the smallest edit distance to `name`, if close enough;
    /// ties go to the first candidate. A case-only difference always counts as close.
    static func closest(to name: String, among candidates: [String]) -> String? {
        let limit = min(3, max(1, name.count / 3))
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != name {
            let d = candidate.lowercased() == name.lowercased() ? 0 : distance(name, candidate)
            if d <= limit, d < (best?.distance ?? .max) { best = (candidate, d) }
        }
        return best?.name
    }

    /// The Levenshtein distance between `a` and `b`, in characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
