import Testing
@testable import ChunkStore

/// The one-pass column statistics against adding the present values one by one.
@Suite struct FormatFieldStatsTests {
    /// The definition: every present value added in row order.
    private func reference(_ column: FieldColumn, _ timestamps: [Int64]) -> FieldStats {
        var stats = FieldStats()
        for i in 0..<min(timestamps.count, column.bits.count) where i < column.present.count && column.present[i] {
            stats.add(bits: column.bits[i], timestamp: timestamps[i], type: column.type)
        }
        return stats
    }

    /// Equal down to the bits of the sum; any two NaN sums are equal (which NaN payload an
    /// addition of two NaNs propagates is up to the compiler's operand order).
    private func same(_ a: FieldStats, _ b: FieldStats) -> Bool {
        var x = a, y = b
        guard x.sum.bitPattern == y.sum.bitPattern || (x.sum.isNaN && y.sum.isNaN) else { return false }
        x.sum = 0; y.sum = 0
        return x == y
    }

    private func columns(_ rng: inout SeededRandom) -> [(FieldColumn, [Int64])] {
        var cases: [(FieldColumn, [Int64])] = []
        var payloads: [(FieldType, [UInt64])] = []
        for values in FormatSamples.floatSequences(&rng) { payloads.append((.float, values)) }
        // Leading NaNs, then infinities or numbers: what min and max start from.
        let nan = Double.nan.bitPattern, payloadNaN = Double(bitPattern: 0x7FF8_DEAD_BEEF_0001).bitPattern
        for tail: [Double] in [[.infinity], [-.infinity], [.infinity, 2, -.infinity], [-0.0, 0.0], [0.0, -0.0], [], [5]] {
            payloads.append((.float, [payloadNaN, nan] + tail.map(\.bitPattern) + [nan]))
        }
        for values in FormatSamples.intSequences(&rng) { payloads.append((.int, values.map { UInt64(bitPattern: $0) })) }
        payloads.append((.bool, (0..<300).map { _ in rng.next() % 2 }))
        payloads.append((.bool, [0, 0, 0]))
        payloads.append((.bool, [2, 1, 0, 7]))  // non-canonical payloads still order as numbers
        for (type, bits) in payloads {
            let ts = (0..<bits.count).map { Int64($0) * 1000 - 500 }
            let all = FieldColumn(name: "f", type: type, bits: bits, present: Bitmap(count: bits.count, value: true))
            cases.append((all, ts))
            let some = Bitmap((0..<bits.count).map { _ in rng.chance(0.7) })
            cases.append((FieldColumn(name: "f", type: type, bits: bits, present: some), ts))
            cases.append((FieldColumn(name: "f", type: type, bits: bits, present: Bitmap(count: bits.count, value: false)), ts))
            if bits.count > 1 {
                // Only the last row present, and a presence map shorter than the column.
                var last = Bitmap(count: bits.count, value: false)
                last[bits.count - 1] = true
                cases.append((FieldColumn(name: "f", type: type, bits: bits, present: last), ts))
                cases.append((FieldColumn(name: "f", type: type, bits: bits,
                                          present: Bitmap(count: bits.count - 1, value: true)), ts))
            }
        }
        return cases
    }

    @Test func matchesValueByValueStatistics() {
        var rng = SeededRandom(seed: 77)
        for (column, ts) in columns(&rng) {
            let fast = FieldStats(column: column, timestamps: ts)
            let slow = reference(column, ts)
            #expect(same(fast, slow), "\(column.type) column of \(column.bits.count): \(fast) != \(slow)")
        }
    }

    @Test func negativeZeroAloneSumsToPositiveZero() {
        let column = FieldColumn(name: "f", type: .float, bits: [(-0.0).bitPattern], present: Bitmap(count: 1, value: true))
        let stats = FieldStats(column: column, timestamps: [5])
        #expect(stats.sum.bitPattern == 0.0.bitPattern)
        #expect(stats.minBits == (-0.0).bitPattern && stats.firstTimestamp == 5 && stats.lastTimestamp == 5)
    }

    @Test func nanLosesMinAndMaxUnlessAlone() {
        let values: [Double] = [.nan, 3, .nan, -1, .nan]
        let column = FieldColumn(name: "f", type: .float, bits: values.map(\.bitPattern),
                                 present: Bitmap(count: values.count, value: true))
        let stats = FieldStats(column: column, timestamps: [1, 2, 3, 4, 5])
        #expect(stats.minBits == (-1.0).bitPattern && stats.maxBits == 3.0.bitPattern && stats.sum.isNaN)
        let lone = FieldColumn(name: "f", type: .float, bits: [Double.nan.bitPattern], present: Bitmap(count: 1, value: true))
        #expect(Double(bitPattern: FieldStats(column: lone, timestamps: [1]).minBits).isNaN)
    }
}
