#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A range result read row by row: `for row in result { row.timestamp; row["power_w"] }`.
/// Rows are views into the result's columns; iterating allocates nothing per row.
extension RangeResult: RandomAccessCollection {
    /// The first row's index: 0.
    public var startIndex: Int { 0 }
    /// One past the last row's index: ``count``.
    public var endIndex: Int { timestamps.count }

    /// Row `position` (0 ..< ``count``), a view that reads the columns in place.
    public subscript(position: Int) -> RangeRow {
        RangeRow(result: self, index: position)
    }

    /// The column of the field named `name` in ``fieldNames`` (the first, if the query
    /// named it twice), or nil when the result has no such column.
    public func fieldIndex(of name: String) -> Int? {
        fieldNames.firstIndex(of: name)
    }
}

/// One row of a ``RangeResult``: its time and field values, read from the result's
/// columns when asked for (nothing is copied out when the row is made).
public struct RangeRow: Sendable {
    /// The result this row belongs to.
    public let result: RangeResult
    /// The row's position in ``result``.
    public let index: Int

    /// The device (the same for every row of a result).
    public var device: String { result.device }

    /// The row's timestamp, nanoseconds since the Unix epoch.
    public var timestamp: Int64 { result.timestamps[index] }

    /// The row's time as the nearest `Date` (see ``StoreTime/date(_:)``).
    public var date: Date { StoreTime.date(timestamp) }

    /// The value of column `field` (an index into ``RangeResult/fieldNames``), nil where
    /// the row has none.
    public subscript(field field: Int) -> FieldValue? {
        result.values[field][index]
    }

    /// The value of the field named `name`, nil where the row has none or the result has
    /// no such column.
    public subscript(name: String) -> FieldValue? {
        result.fieldIndex(of: name).flatMap { self[field: $0] }
    }

    /// The present values by field name (built on each access).
    public var fields: [String: FieldValue] {
        var fields: [String: FieldValue] = [:]
        for (f, name) in result.fieldNames.enumerated() {
            if let value = result.values[f][index] { fields[name] = value }
        }
        return fields
    }

    /// The row as a ``Row`` (to append elsewhere, or to encode as JSON).
    public var row: Row { Row(device: device, timestamp: timestamp, fields: fields) }
}
