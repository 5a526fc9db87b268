/// Numbers a double dictionary's entries so that its indices pack narrower.
///
/// Each data page packs its indices in the width of its own largest index (see
/// ``ValuePlan``), so what matters is how large the indices within one page get. In
/// first-use order a device's new values get numbers after every earlier device's; in
/// ascending value order a page of low readings (a quiet household, a night) uses only
/// small numbers. Neither wins everywhere (a value that wanders over a narrow band, such
/// as mains voltage, packs best in first-use order), so both are estimated.
enum DictionaryOrder {
    /// Renumbers `keys` (double bit patterns, in first-use order) and `indices` in
    /// ascending value order when that packs pages of `pageRows` indices smaller.
    static func improve(keys: inout [UInt64], indices: inout [UInt32], pageRows: Int) {
        let n = keys.count
        guard n > 2, !indices.isEmpty else { return }
        // Sorting plain integers (no comparator) is what makes this cheap; the entries are
        // distinct, so each one's rank is where a binary search finds it.
        let sorted = keys.map(orderKey).sorted()
        let rank = keys.map { key -> UInt32 in
            let k = orderKey(key)
            var low = 0, high = n
            while low < high {
                let mid = (low + high) / 2
                if sorted[mid] < k { low = mid + 1 } else { high = mid }
            }
            return UInt32(low)
        }
        var renumbered = [UInt32](repeating: 0, count: indices.count)
        indices.withUnsafeBufferPointer { from in
            rank.withUnsafeBufferPointer { r in
                renumbered.withUnsafeMutableBufferPointer { to in
                    for i in 0..<from.count { to[i] = r[Int(from[i])] }
                }
            }
        }
        guard packedBits(renumbered, pageRows: pageRows) < packedBits(indices, pageRows: pageRows) else { return }
        indices = renumbered
        keys = sorted.map(bits(ofOrderKey:))
    }

    /// Doubles' bit patterns mapped so that unsigned order is numeric order (negative
    /// values flipped whole, positive ones with the sign bit set); NaNs sort to the ends.
    @inline(__always)
    static func orderKey(_ bits: UInt64) -> UInt64 {
        bits >> 63 == 1 ? ~bits : bits | (1 << 63)
    }

    /// The inverse of ``orderKey(_:)``.
    @inline(__always)
    static func bits(ofOrderKey key: UInt64) -> UInt64 {
        key >> 63 == 1 ? key & ~(1 << 63) : ~key
    }

    /// Bits of `indices` packed in pages of `pageRows`, each in its largest index's width.
    static func packedBits(_ indices: [UInt32], pageRows: Int) -> Int {
        indices.withUnsafeBufferPointer { p in
            var total = 0, start = 0
            while start < p.count {
                let end = min(p.count, start + pageRows)
                var any: UInt32 = 0
                for i in start..<end { any |= p[i] }
                total += (end - start) * max(1, BitPacking.width(UInt64(any)))
                start = end
            }
            return total
        }
    }
}
