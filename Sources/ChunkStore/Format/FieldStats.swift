/// Summary of one field over one chunk, stored in the chunk header so that a query
/// can use it without decompressing the column.
///
/// NaN values count, and make `sum` NaN, but are skipped by `min` and `max`
/// (which are NaN only when every value is NaN).
struct FieldStats: Sendable, Equatable {
    /// Number of present values.
    var count: Int = 0
    /// Payload bits of the smallest, largest, first and last present value.
    var minBits: UInt64 = 0
    var maxBits: UInt64 = 0
    var firstBits: UInt64 = 0
    var lastBits: UInt64 = 0
    /// Sum of the values as a Double (booleans count 1 for true).
    var sum: Double = 0
    /// Timestamps of the first and last present value.
    var firstTimestamp: Int64 = 0
    var lastTimestamp: Int64 = 0

    /// Adds a value; rows must come in ascending timestamp order.
    mutating func add(bits: UInt64, timestamp: Int64, type: FieldType) {
        if count == 0 {
            minBits = bits; maxBits = bits; firstBits = bits; firstTimestamp = timestamp
        } else {
            if FieldStats.less(bits, minBits, type) { minBits = bits }
            if FieldStats.greater(bits, maxBits, type) { maxBits = bits }
        }
        lastBits = bits
        lastTimestamp = timestamp
        count += 1
        sum += FieldValue(type: type, bits: bits).doubleValue
    }

    /// Ordering of payloads for min: see ``FieldType/less(_:_:)``.
    @inline(__always)
    static func less(_ a: UInt64, _ b: UInt64, _ type: FieldType) -> Bool { type.less(a, b) }

    /// Ordering of payloads for max: see ``FieldType/greater(_:_:)``.
    @inline(__always)
    static func greater(_ a: UInt64, _ b: UInt64, _ type: FieldType) -> Bool { type.greater(a, b) }

    init() {}
}
