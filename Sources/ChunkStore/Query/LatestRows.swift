/// The latest row of each of several devices, held column-wise: what `Store.latest()`
/// answers. Reading a value by field index touches no dictionary, so a dashboard of
/// thousands of devices costs one pass over flat arrays; iterating gives ``LatestRow``s.
public struct LatestRows: Sendable, Hashable, RandomAccessCollection {
    /// Device ids, one per row, sorted by their UTF-8 bytes.
    public let devices: [String]
    /// Each row's timestamp: the largest stored for its device.
    public let timestamps: [Int64]
    /// Every field present in some row, sorted by UTF-8 bytes; ``value(_:field:)`` takes
    /// an index into this list.
    public let fieldNames: [String]
    /// Row `r`'s values are `cellValues[rowStarts[r]..<rowStarts[r + 1]]`, for the fields
    /// `cellFields` of the same range, in ascending field index.
    let rowStarts: [Int32]
    let cellFields: [Int32]
    let cellValues: [FieldValue]

    init(devices: [String], timestamps: [Int64], fieldNames: [String], rowStarts: [Int32], cellFields: [Int32], cellValues: [FieldValue]) {
        self.devices = devices
        self.timestamps = timestamps
        self.fieldNames = fieldNames
        self.rowStarts = rowStarts
        self.cellFields = cellFields
        self.cellValues = cellValues
    }

    /// No rows.
    public init() {
        self.init(devices: [], timestamps: [], fieldNames: [], rowStarts: [0], cellFields: [], cellValues: [])
    }

    /// The first row's index: 0.
    public var startIndex: Int { 0 }
    /// One past the last row's index: the number of devices.
    public var endIndex: Int { devices.count }

    /// Row `position` with its fields in a dictionary (built on each access).
    public subscript(position: Int) -> LatestRow {
        var fields: [String: FieldValue] = [:]
        let cells = Int(rowStarts[position])..<Int(rowStarts[position + 1])
        fields.reserveCapacity(cells.count)
        for c in cells { fields[fieldNames[Int(cellFields[c])]] = cellValues[c] }
        return LatestRow(device: devices[position], timestamp: timestamps[position], fields: fields)
    }

    /// The value of field `field` (an index into ``fieldNames``) in row `row`, or nil when
    /// that row's latest timestamp has no value for it.
    public func value(_ row: Int, field: Int) -> FieldValue? {
        for c in Int(rowStarts[row])..<Int(rowStarts[row + 1]) where cellFields[c] == field { return cellValues[c] }
        return nil
    }

    /// The value of the field named `name` in row `row`, or nil.
    public func value(_ row: Int, _ name: String) -> FieldValue? {
        fieldIndex(of: name).flatMap { value(row, field: $0) }
    }

    /// The index of `name` in ``fieldNames``, or nil when no row has it.
    public func fieldIndex(of name: String) -> Int? {
        var low = 0, high = fieldNames.count
        while low < high {
            let mid = (low + high) / 2
            if fieldNames[mid] == name { return mid }
            if fieldNames[mid].precedesInBytes(name) { low = mid + 1 } else { high = mid }
        }
        return nil
    }
}
