/// An insert-only open-addressing hash table from 64-bit patterns to dense indices, for
/// building dictionaries: several times faster than `Dictionary` on this hot path.
struct DoubleTable {
    private var slots: [UInt32]  // 0 = empty, else index + 1
    private var mask: Int
    private(set) var keys: [UInt64] = []
    private let maxEntries: Int

    /// A table that holds up to `capacity` keys; ``index(of:)`` returns nil beyond that.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt32](repeating: 0, count: size)
        mask = size - 1
        maxEntries = capacity
    }

    /// Distinct keys so far.
    var count: Int { keys.count }

    /// The key's index, inserting it if new; nil when the table is full.
    @inline(__always)
    mutating func index(of key: UInt64) -> UInt32? {
        var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        while true {
            let s = slots[i]
            if s == 0 {
                guard keys.count < maxEntries else { return nil }
                keys.append(key)
                slots[i] = UInt32(keys.count)
                return UInt32(keys.count - 1)
            }
            if keys[Int(s) - 1] == key { return s - 1 }
            i = (i + 1) & mask
        }
    }
}
