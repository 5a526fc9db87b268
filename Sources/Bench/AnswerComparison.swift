import ChunkStore

/// Raw rows of one device: timestamps and, per table field, one optional value per row.
struct RangeAnswer: Equatable {
    var timestamps: [Int64]
    var values: [[FieldValue?]]
}

/// Downsampled rows: for each (device, bucket) the aggregates in query order.
struct DownsampleAnswer {
    struct Row {
        var device: String
        var bucket: Int64
        var values: [FieldValue?]
    }
    var rows: [Row]

    /// Without rows whose every aggregate is nil (a bucket with rows but none for the field:
    /// SQLite reports it, ChunkStore may not).
    var nonEmpty: [Row] { rows.filter { $0.values.contains { $0 != nil } } }
}

/// The latest row of each device, values in table field order.
struct LastAnswer {
    struct Row {
        var device: String
        var timestamp: Int64
        var values: [FieldValue?]
    }
    var rows: [Row]
}

/// Compares the engines' answers: counts, timestamps, min/max/first/last and raw values
/// exactly; means (the only computed floats) to a relative 1e-9, since the two engines
/// may add in a different order.
enum AnswerComparison {
    static let meanTolerance = 1e-9

    /// nil when equal, else the first difference.
    static func compare(_ a: RangeAnswer, _ b: RangeAnswer, fields: [String]) -> String? {
        guard a.timestamps.count == b.timestamps.count else {
            return "row counts differ: \(a.timestamps.count) vs \(b.timestamps.count)"
        }
        for r in a.timestamps.indices where a.timestamps[r] != b.timestamps[r] {
            return "row \(r): timestamp \(a.timestamps[r]) vs \(b.timestamps[r])"
        }
        for f in fields.indices {
            for r in a.timestamps.indices where !exactlyEqual(a.values[f][r], b.values[f][r]) {
                return "row \(r) (ts \(a.timestamps[r])) field \(fields[f]): \(show(a.values[f][r])) vs \(show(b.values[f][r]))"
            }
        }
        return nil
    }

    /// `meanColumns`: indexes of values that are means.
    static func compare(_ a: DownsampleAnswer, _ b: DownsampleAnswer, meanColumns: Set<Int>) -> String? {
        let x = a.nonEmpty, y = b.nonEmpty
        guard x.count == y.count else { return "bucket counts differ: \(x.count) vs \(y.count)" }
        for i in x.indices {
            guard x[i].device == y[i].device, x[i].bucket == y[i].bucket else {
                return "row \(i): (\(x[i].device), \(x[i].bucket)) vs (\(y[i].device), \(y[i].bucket))"
            }
            guard x[i].values.count == y[i].values.count else { return "row \(i): value counts differ" }
            for v in x[i].values.indices {
                let ok = meanColumns.contains(v) ? closeEnough(x[i].values[v], y[i].values[v]) : exactlyEqual(x[i].values[v], y[i].values[v])
                if !ok {
                    return "\(x[i].device) bucket \(x[i].bucket) value \(v): \(show(x[i].values[v])) vs \(show(y[i].values[v]))"
                }
            }
        }
        return nil
    }

    static func compare(_ a: LastAnswer, _ b: LastAnswer, fields: [String]) -> String? {
        guard a.rows.count == b.rows.count else { return "device counts differ: \(a.rows.count) vs \(b.rows.count)" }
        for i in a.rows.indices {
            let x = a.rows[i], y = b.rows[i]
            guard x.device == y.device, x.timestamp == y.timestamp else {
                return "row \(i): (\(x.device), \(x.timestamp)) vs (\(y.device), \(y.timestamp))"
            }
            for f in fields.indices where !exactlyEqual(x.values[f], y.values[f]) {
                return "\(x.device) field \(fields[f]): \(show(x.values[f])) vs \(show(y.values[f]))"
            }
        }
        return nil
    }

    /// Numeric equality; an int and a float of the same value are equal (SQLite may hand
    /// back either for an INTEGER column holding a whole number).
    static func exactlyEqual(_ a: FieldValue?, _ b: FieldValue?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (.some(let x), .some(let y)):
            switch (x, y) {
            case (.int(let p), .int(let q)): return p == q
            case (.bool(let p), .bool(let q)): return p == q
            default: return x.doubleValue == y.doubleValue || (x.doubleValue.isNaN && y.doubleValue.isNaN)
            }
        default: return false
        }
    }

    static func closeEnough(_ a: FieldValue?, _ b: FieldValue?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        let x = a.doubleValue, y = b.doubleValue
        if x == y { return true }
        return abs(x - y) <= meanTolerance * max(abs(x), abs(y))
    }

    private static func show(_ v: FieldValue?) -> String { v.map { "\($0)" } ?? "nil" }
}
