import Testing
@testable import ChunkStore

/// Folding a stretch of a column at once gives exactly what adding its values one by
/// one gives, for every type, adversarial values, gaps, and any starting aggregate.
@Suite struct FieldAggregateColumnTests {
    static let floats: [Double] = [.nan, -.nan, .infinity, -.infinity, -0.0, 0.0, 1.5, -1.5, .greatestFiniteMagnitude,
                                   -.greatestFiniteMagnitude, .leastNonzeroMagnitude, 230.1, 1e300]
    static let ints: [Int64] = [.min, .max, 0, -1, 1, 42, -42]

    static func payload(_ type: FieldType, _ rng: inout SeededRandom) -> UInt64 {
        switch type {
        case .float: rng.chance(0.5) ? rng.pick(floats).bitPattern : Double.random(in: -1e3...1e3, using: &rng).bitPattern
        case .int: rng.chance(0.5) ? UInt64(bitPattern: rng.pick(ints)) : rng.next()
        case .bool: rng.next() & 1
        case .uint: rng.chance(0.5) ? rng.pick([0, 1, UInt64.max, UInt64(Int64.max) + 1]) : rng.next()
        }
    }

    /// Bit-exact comparison, except that any NaN sum equals any NaN sum: which NaN an
    /// addition of two NaNs yields depends on operand order, which the compiler may swap.
    static func same(_ a: FieldAggregate, _ b: FieldAggregate) -> Bool {
        a.count == b.count && (a.sum.bitPattern == b.sum.bitPattern || (a.sum.isNaN && b.sum.isNaN))
            && a.minBits == b.minBits && a.maxBits == b.maxBits
            && a.firstBits == b.firstBits && a.lastBits == b.lastBits
            && a.firstTimestamp == b.firstTimestamp && a.lastTimestamp == b.lastTimestamp
    }

    @Test(arguments: FieldType.allCases)
    func matchesValueByValue(type: FieldType) {
        for seed in UInt64(0)..<400 {
            var rng = SeededRandom(seed: seed &* 31 &+ UInt64(type.rawValue))
            let n = Int.random(in: 0...200, using: &rng)
            var t = rng.chance(0.3) ? Int64.min : Int64.random(in: -1_000_000...1_000_000, using: &rng)
            var timestamps: [Int64] = []
            for _ in 0..<n {
                timestamps.append(t)
                t = t &+ Int64.random(in: 1...1000, using: &rng)
                if t < timestamps.last! { break }
            }
            let count = timestamps.count
            let density = rng.chance(0.5) ? 1.0 : Double.random(in: 0...1, using: &rng)
            let present = (0..<count).map { _ in rng.chance(density) }
            let bits = (0..<count).map { i in present[i] ? Self.payload(type, &rng) : rng.next() }
            let column = FieldColumn(name: "f", type: type, bits: bits, present: Bitmap(present))
            let lo = Int.random(in: 0...count, using: &rng), hi = Int.random(in: lo...count, using: &rng)

            // A starting aggregate from values around (before, after or at) the stretch.
            var start = FieldAggregate()
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                start.add(bits: Self.payload(type, &rng), timestamp: Int64.random(in: .min ... .max, using: &rng), type: type)
            }
            var expected = start, actual = start
            for r in lo..<hi where present[r] { expected.add(bits: bits[r], timestamp: timestamps[r], type: type) }
            timestamps.withUnsafeBufferPointer { actual.add(column, timestamps: $0, rows: lo..<hi) }
            #expect(Self.same(actual, expected), "seed \(seed), \(type), rows \(lo)..<\(hi) of \(count)")
        }
    }
}
