/// The per-type rules of field payloads, in one place: how payloads order (statistics,
/// `min`/`max` policies and aggregates), which codecs may store a column, and how two
/// payloads add under the `sum` policy. A new field type adds its case here, to
/// ``FieldValue``, and to the codec choice in `ColumnBlock.encodeField`.
extension FieldType {
    /// Whether payload `a` orders before `b`. Floats order numerically with NaN after
    /// every number (so NaN loses unless alone); ints as signed; uints and bools unsigned.
    @inline(__always)
    func less(_ a: UInt64, _ b: UInt64) -> Bool {
        switch self {
        case .float:
            let x = Double(bitPattern: a), y = Double(bitPattern: b)
            if x.isNaN { return false }
            if y.isNaN { return true }
            return x < y
        case .int: return Int64(bitPattern: a) < Int64(bitPattern: b)
        case .bool, .uint: return a < b
        }
    }

    /// Whether payload `a` orders after `b`, with NaN *below* every number here, so that
    /// a NaN never replaces a numeric maximum (`less(max, x)` would let it).
    @inline(__always)
    func greater(_ a: UInt64, _ b: UInt64) -> Bool {
        switch self {
        case .float:
            let x = Double(bitPattern: a), y = Double(bitPattern: b)
            if x.isNaN { return false }
            if y.isNaN { return true }
            return x > y
        case .int: return Int64(bitPattern: a) > Int64(bitPattern: b)
        case .bool, .uint: return a > b
        }
    }

    /// Whether a column of this type may be stored with `codec` (SPEC §5's table).
    func accepts(_ codec: ColumnCodecID) -> Bool {
        switch self {
        case .float: codec == .floatDecimal || codec == .floatXOR
        case .int, .uint: codec == .integerDelta
        case .bool: codec == .boolBitmap
        }
    }

    /// `old + new` under the `sum` duplicate policy: IEEE 754 for floats, modulo 2^64 for
    /// ints and uints (wrapping on overflow), logical OR for bools.
    @inline(__always)
    func policySum(_ old: UInt64, _ new: UInt64) -> UInt64 {
        switch self {
        case .float: (Double(bitPattern: old) + Double(bitPattern: new)).bitPattern
        case .int, .uint: old &+ new
        case .bool: (old | new) & 1
        }
    }
}
