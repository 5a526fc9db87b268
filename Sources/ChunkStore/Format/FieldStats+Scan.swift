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
        self.init()
        switch column.type {
        case .float: scan(column, timestamps, FloatScan.self)
        case .int: scan(column, timestamps, IntScan.self)
        case .bool: scan(column, timestamps, BoolScan.self)
        }
    }

    private mutating func scan<S: StatsScan>(_ column: FieldColumn, _ timestamps: [Int64], _: S.Type) {
        // Rows a malformed column's payloads or presence map do not cover count as missing.
        let n = min(timestamps.count, column.bits.count)
        guard n > 0 else { return }
        let allPresent = column.present.count == n && column.present.popCount == n
        column.bits.withUnsafeBufferPointer { bits in
            if allPresent {
                var s = S(first: bits[0])
                for i in 1..<n { s.add(bits[i]) }
                finish(s, count: n, first: (bits[0], timestamps[0]), last: (bits[n - 1], timestamps[n - 1]))
                return
            }
            // Walk the set bits of the presence words (only the first `n` rows count).
            var scan: S?
            var count = 0
            var firstRow = 0, lastRow = 0
            column.present.words.withUnsafeBufferPointer { words in
                for w in 0..<min(words.count, (n + 63) >> 6) {
                    var word = words[w]
                    let base = w << 6
                    if n - base < 64 { word &= (1 &<< UInt64(n - base)) &- 1 }
                    while word != 0 {
                        let i = base + word.trailingZeroBitCount
                        word &= word &- 1
                        if scan == nil {
                            scan = S(first: bits[i])
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
    init(first: UInt64)
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
    init(first: UInt64) {
        firstBits = first
        let v = Double(bitPattern: first)
        (minValue, maxValue) = v.isNaN ? (.infinity, -.infinity) : (v, v)
        sum = 0
        sum += v  // 0 + x, as adding to an empty sum does (-0.0 becomes 0.0)
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
    init(first: UInt64) {
        min = Int64(bitPattern: first)
        max = min
        sum = 0
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

/// Booleans: payloads compare as unsigned numbers; the sum counts non-zero payloads.
private struct BoolScan: StatsScan {
    var minBits: UInt64
    var maxBits: UInt64
    var sum: Double

    @inline(__always)
    init(first: UInt64) {
        minBits = first
        maxBits = first
        sum = first != 0 ? 1 : 0
    }

    @inline(__always)
    mutating func add(_ bits: UInt64) {
        sum += bits != 0 ? 1 : 0
        if bits < minBits { minBits = bits }
        if bits > maxBits { maxBits = bits }
    }
}
