/// The statistics of a whole column in one tight pass per field type.
///
/// Sealing computes them for every column of every chunk, so this avoids the per-value
/// type switch and ``FieldValue`` boxing of ``FieldStats/add(bits:timestamp:type:)``,
/// and the per-row presence test when every row has a value. The result is identical to
/// adding the present values one by one in row order (the sum in particular is
/// accumulated in the same order, so it is bit-for-bit the same).
extension FieldStats {
    /// Statistics of a whole column (rows in ascending timestamp order).
    init(column: FieldColumn, timestamps: [Int64]) {
        self = timestamps.withUnsafeBufferPointer {
            FieldStats(column: column, timestamps: $0, rows: 0..<min($0.count, column.bits.count), sumFrom: 0)
        }
    }

    /// Statistics of `rows` of a column, with `sum` continuing from `sumFrom` (value by
    /// value, so that downsampling can fold a bucket's stretch onto its running sum and
    /// get exactly the sum of adding each value in turn). Rows past the payloads or the
    /// presence map count as missing.
    init(column: FieldColumn, timestamps: UnsafeBufferPointer<Int64>, rows: Range<Int>, sumFrom: Double) {
        self.init()
        let rows = rows.clamped(to: 0..<min(timestamps.count, column.bits.count))
        switch column.type {
        case .float: scan(column, timestamps, rows, sumFrom, FloatScan.self)
        case .int: scan(column, timestamps, rows, sumFrom, IntScan.self)
        case .bool: scan(column, timestamps, rows, sumFrom, BoolScan.self)
        case .uint: scan(column, timestamps, rows, sumFrom, UIntScan.self)
        }
    }

    private mutating func scan<S: StatsScan>(_ column: FieldColumn, _ timestamps: UnsafeBufferPointer<Int64>,
                                             _ rows: Range<Int>, _ sumFrom: Double, _: S.Type) {
        guard !rows.isEmpty else { return }
        let (lo, hi) = (rows.lowerBound, rows.upperBound)
        let allPresent = column.present.count >= hi && column.present.allSet(in: rows)
        column.bits.withUnsafeBufferPointer { bits in
            if allPresent {
                var s = S(first: bits[lo], sumFrom: sumFrom)
                for i in (lo + 1)..<hi { s.add(bits[i]) }
                finish(s, count: rows.count, first: (bits[lo], timestamps[lo]), last: (bits[hi - 1], timestamps[hi - 1]))
                return
            }
            // Walk the set bits of the presence words within `rows`.
            var scan: S?
            var count = 0
            var firstRow = 0, lastRow = 0
            column.present.words.withUnsafeBufferPointer { words in
                for w in (lo >> 6)..<min(words.count, (hi + 63) >> 6) {
                    var word = words[w]
                    let base = w << 6
                    if base < lo { word &= ~0 &<< UInt64(lo - base) }
                    if hi - base < 64 { word &= (1 &<< UInt64(hi - base)) &- 1 }
                    while word != 0 {
                        let i = base + word.trailingZeroBitCount
                        word &= word &- 1
                        if scan == nil {
                            scan = S(first: bits[i], sumFrom: sumFrom)
                            firstRow = i
                        } else {
                            scan!.add(bits[i])
                        }
                        lastRow = i
                        count += 1
                    }
                }
            }
            guard let s = scan else { return }
            finish(s, count: count, first: (bits[firstRow], timestamps[firstRow]),
                   last: (bits[lastRow], timestamps[lastRow]))
        }
    }

    private mutating func finish<S: StatsScan>(_ s: S, count: Int, first: (UInt64, Int64), last: (UInt64, Int64)) {
        self.count = count
        minBits = s.minBits
        maxBits = s.maxBits
        sum = s.sum
        (firstBits, firstTimestamp) = first
        (lastBits, lastTimestamp) = last
    }
}

/// Running min, max and sum of one field type, with ``FieldStats``' ordering rules.
private protocol StatsScan {
    /// Starts with the first value; the sum is `sumFrom + value`.
    init(first: UInt64, sumFrom: Double)
    mutating func add(_ bits: UInt64)
    var minBits: UInt64 { get }
    var maxBits: UInt64 { get }
    var sum: Double { get }
}

/// Floats: NaN counts in the sum but loses to any number in min and max; among equal
/// values (0.0 and -0.0) the first stays.
///
/// Min and max are selects rather than branches (a NaN `x` never compares true, so it
/// never wins). A leading NaN starts them at the opposite infinities instead: the first
/// number then replaces both, and an infinity that does not replace them has the same
/// bits anyway. They end crossed (min > max) only if every value was NaN, in which case
/// the first one is both, as when adding one by one.
private struct FloatScan: StatsScan {
    var firstBits: UInt64
    var minValue: Double
    var maxValue: Double
    var sum: Double

    @inline(__always)
    init(first: UInt64, sumFrom: Double) {
        firstBits = first
        let v = Double(bitPattern: first)
        (minValue, maxValue) = v.isNaN ? (.infinity, -.infinity) : (v, v)
        sum = sumFrom
        sum += v  // 0 + x for a fresh sum, as adding to an empty sum does (-0.0 becomes 0.0)
    }

    @inline(__always)
    mutating func add(_ bits: UInt64) {
        let x = Double(bitPattern: bits)
        sum += x
        minValue = x < minValue ? x : minValue
        maxValue = x > maxValue ? x : maxValue
    }

    var minBits: UInt64 { minValue <= maxValue ? minValue.bitPattern : firstBits }
    var maxBits: UInt64 { minValue <= maxValue ? maxValue.bitPattern : firstBits }
}

private struct IntScan: StatsScan {
    var min: Int64
    var max: Int64
    var sum: Double

    @inline(__always)
    init(first: UInt64, sumFrom: Double) {
        min = Int64(bitPattern: first)
        max = min
        sum = sumFrom
        sum += Double(min)
    }

    @inline(__always)
    mutating func add(_ bits: UInt64) {
        let v = Int64(bitPattern: bits)
        sum += Double(v)
        if v < min { min = v }
        if v > max { max = v }
    }

    var minBits: UInt64 { UInt64(bitPattern: min) }
    var maxBits: UInt64 { UInt64(bitPattern: max) }
}

/// Unsigned integers: payloads compare as unsigned numbers; each adds its nearest f64.
private struct UIntScan: StatsScan {
    var minBits: UInt64
    var maxBits: UInt64
    var sum: Double

    @inline(__always)
    init(first: UInt64, sumFrom: Double) {
        minBits = first
        maxBits = first
        sum = sumFrom
        sum += Double(first)
    }

    @inline(__always)
    mutating func add(_ bits: UInt64) {
        sum += Double(bits)
        if bits < minBits { minBits = bits }
        if bits > maxBits { maxBits = bits }
    }
}

/// Booleans: payloads compare as unsigned numbers; the sum counts non-zero payloads.
private struct BoolScan: StatsScan {
    var minBits: UInt64
    var maxBits: UInt64
    var sum: Double

    @inline(__always)
    init(first: UInt64, sumFrom: Double) {
        minBits = first
        maxBits = first
        sum = sumFrom
        sum += first != 0 ? 1 : 0
    }

    @inline(__always)
    mutating func add(_ bits: UInt64) {
        sum += bits != 0 ? 1 : 0
        if bits < minBits { minBits = bits }
        if bits > maxBits { maxBits = bits }
    }
}
