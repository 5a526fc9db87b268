/// Folding a stretch of a decoded column into an aggregate in one pass: the inner loop of
/// downsampling, where per-value calls through ``FieldAggregate/add(bits:timestamp:type:)``
/// re-decide the type and re-read the aggregate for every row.
extension FieldAggregate {
    /// Folds in the present values of `column` at rows `range`, whose timestamps must be
    /// strictly increasing. Gives exactly what adding each present value in row order
    /// with ``add(bits:timestamp:type:)`` gives: the same left-to-right sum (continued
    /// from this aggregate's), and the same min/max and first/last choices.
    mutating func add(_ column: FieldColumn, timestamps: UnsafeBufferPointer<Int64>, range: Range<Int>) {
        guard !range.isEmpty else { return }
        let present = column.present
        let allPresent = present.count == column.bits.count && present.allSet(in: range)
        column.bits.withUnsafeBufferPointer { bits in
            var stretch = Stretch(bits: bits, sum: sum)
            switch (column.type, allPresent) {
            case (.float, true): stretch.addFloats(range)
            case (.float, false): for r in range where present[r] { stretch.addFloat(r) }
            case (.int, true): for r in range { stretch.addInt(r) }
            case (.int, false): for r in range where present[r] { stretch.addInt(r) }
            case (.bool, _): for r in range where allPresent || present[r] { stretch.addBool(r) }
            }
            absorb(stretch, timestamps: timestamps, type: column.type)
        }
    }

    /// One stretch's count, its sum continued from the aggregate's, and the rows of its
    /// first minimum and maximum under the ``FieldStats`` order.
    private struct Stretch {
        let bits: UnsafeBufferPointer<UInt64>
        var sum: Double
        var count = 0
        var firstRow = -1, lastRow = -1
        var minRow = -1, maxRow = -1
        var minFloat: Double = 0, maxFloat: Double = 0
        var minInt: Int64 = 0, maxInt: Int64 = 0

        init(bits: UnsafeBufferPointer<UInt64>, sum: Double) {
            self.bits = bits
            self.sum = sum
        }

        @inline(__always)
        mutating func note(_ r: Int) {
            if firstRow < 0 { firstRow = r }
            lastRow = r
            count += 1
        }

        /// `FieldStats.less`/`greater` for floats, inlined: numbers order below NaN, and
        /// a value replaces the running one only when strictly beyond it.
        @inline(__always)
        mutating func addFloat(_ r: Int) {
            let x = Double(bitPattern: bits[r])
            if minRow < 0 || x < minFloat || (minFloat.isNaN && !x.isNaN) { minRow = r; minFloat = x }
            if maxRow < 0 || x > maxFloat || (maxFloat.isNaN && !x.isNaN) { maxRow = r; maxFloat = x }
            sum += x
            note(r)
        }

        /// Every row of `range` present (the common case): min and max kept branch-free
        /// as values (`x < m ? x : m` keeps the earliest of equal values and never takes
        /// a NaN, like `FieldStats.less`), NaNs counted so that an all-NaN stretch can
        /// report its first NaN as both.
        mutating func addFloats(_ range: Range<Int>) {
            var s = sum
            var lo = Double.infinity, hi = -Double.infinity
            var nans = 0
            for r in range {
                let x = Double(bitPattern: bits[r])
                s += x
                lo = x < lo ? x : lo
                hi = x > hi ? x : hi
                nans &+= x.isNaN ? 1 : 0
            }
            sum = s
            count = range.count
            firstRow = range.lowerBound
            lastRow = range.upperBound - 1
            if nans == range.count {
                minRow = firstRow; maxRow = firstRow
            } else {
                minRow = -1; maxRow = -1
                minFloat = lo; maxFloat = hi
            }
        }

        @inline(__always)
        mutating func addInt(_ r: Int) {
            let x = Int64(bitPattern: bits[r])
            if minRow < 0 || x < minInt { minRow = r; minInt = x }
            if maxRow < 0 || x > maxInt { maxRow = r; maxInt = x }
            sum += Double(x)
            note(r)
        }

        @inline(__always)
        mutating func addBool(_ r: Int) {
            if minRow < 0 || bits[r] < bits[minRow] { minRow = r }
            if maxRow < 0 || bits[r] > bits[maxRow] { maxRow = r }
            sum += bits[r] != 0 ? 1 : 0
            note(r)
        }
    }

    /// Folds a stretch in after this aggregate's values. The orders are strict weak
    /// orders, so value-by-value folding keeps the first value of the extreme class:
    /// the aggregate's own unless the stretch's first extreme is strictly beyond it.
    private mutating func absorb(_ stretch: Stretch, timestamps: UnsafeBufferPointer<Int64>, type: FieldType) {
        guard stretch.count > 0 else { return }
        let bits = stretch.bits
        // Branch-free float stretches carry their extremes as values, not rows.
        let lo = stretch.minRow >= 0 ? bits[stretch.minRow] : stretch.minFloat.bitPattern
        let hi = stretch.maxRow >= 0 ? bits[stretch.maxRow] : stretch.maxFloat.bitPattern
        let firstTs = timestamps[stretch.firstRow], lastTs = timestamps[stretch.lastRow]
        let empty = count == 0
        let newMin = empty || FieldStats.less(lo, minBits, type) ? lo : minBits
        let newMax = empty || FieldStats.greater(hi, maxBits, type) ? hi : maxBits
        if empty || firstTs < firstTimestamp { setFirst(bits[stretch.firstRow], firstTs) }
        if empty || lastTs > lastTimestamp { setLast(bits[stretch.lastRow], lastTs) }
        setRunning(count: count + stretch.count, sum: stretch.sum, minBits: newMin, maxBits: newMax)
    }
}
