@testable import ChunkStore

/// Value sequences that codecs must round-trip: random, regular and adversarial.
enum FormatSamples {
    static let specialDoubles: [Double] = [
        0.0, -0.0, .infinity, -.infinity, .nan, -.nan,
        Double(bitPattern: 0x7FF0_0000_0000_0001),  // signalling NaN
        Double(bitPattern: 0x7FF8_DEAD_BEEF_0001),  // quiet NaN with payload
        Double(bitPattern: 0xFFFF_FFFF_FFFF_FFFF),
        .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
        Double(bitPattern: 0x000F_FFFF_FFFF_FFFF),  // largest subnormal
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .pi, 1e300, -1e-300, 0.1, 234.84,
    ]

    static let extremeInts: [Int64] = [
        Int64.min, Int64.max, 0, -1, 1, Int64.min + 1, Int64.max - 1, Int64.min, Int64.max, Int64.max, Int64.min,
    ]

    /// Integer sequences: each is a test case.
    static func intSequences(_ rng: inout SeededRandom) -> [[Int64]] {
        var cases: [[Int64]] = [[], [0], [Int64.min], [Int64.max], extremeInts]
        cases.append((0..<1000).map { $0 % 2 == 0 ? Int64.min : Int64.max })
        cases.append((0..<300).map { _ in Int64(bitPattern: rng.next()) })
        cases.append((0..<129).map { _ in 5 })
        cases.append((0..<1000).map { Int64($0) * 3 - 700 })
        var walk: Int64 = Int64.random(in: -1_000_000...1_000_000, using: &rng)
        cases.append((0..<2000).map { _ in walk &+= Int64.random(in: -50...50, using: &rng); return walk })
        for n in [127, 128, 129, 256, 257] {
            cases.append((0..<n).map { _ in Int64.random(in: -3...3, using: &rng) })
        }
        // One outlier in an otherwise flat block.
        var flat = [Int64](repeating: 10, count: 400)
        flat[200] = Int64.max
        cases.append(flat)
        return cases
    }

    /// Timestamp sequences in nanoseconds: regular, jittered, gaps, unsorted, extremes.
    static func timestampSequences(_ rng: inout SeededRandom) -> [[Int64]] {
        let second: Int64 = 1_000_000_000
        let start: Int64 = 1_700_000_000 * second
        var cases = intSequences(&rng)
        cases.append((0..<5000).map { start + Int64($0) * 60 * second })
        cases.append((0..<5000).map { -2_000_000_000 * second + Int64($0) * second })  // pre-1970
        cases.append((0..<100).map { Int64.max - 100 * second + Int64($0) * second })  // far future
        cases.append((0..<1000).map { start + Int64($0) * second + Int64.random(in: -1000...1000, using: &rng) })
        var t = start
        cases.append((0..<1000).map { _ in t += 60 * second * Int64.random(in: 1...3, using: &rng); return t })
        cases.append((0..<500).map { _ in start + Int64.random(in: 0...86400, using: &rng) * second })  // unsorted
        cases.append((0..<300).map { start + Int64($0 / 3) * second })  // duplicates
        cases.append([start, start, start])
        cases.append([Int64.max, Int64.min, Int64.max, Int64.min, 0])
        return cases
    }

    /// Double payload sequences.
    static func floatSequences(_ rng: inout SeededRandom) -> [[UInt64]] {
        var cases: [[UInt64]] = [[], [0], [(-0.0).bitPattern], [Double.nan.bitPattern]]
        cases.append(specialDoubles.map(\.bitPattern))
        cases.append((0..<500).map { _ in specialDoubles.randomElement(using: &rng)!.bitPattern })
        cases.append((0..<500).map { _ in rng.next() })  // any bit pattern
        cases.append((0..<1000).map { _ in Double.random(in: -1000...1000, using: &rng).bitPattern })
        for k in [0, 1, 2, 3, 6, 9] {
            let power = (0..<k).reduce(1.0) { acc, _ in acc * 10 }
            cases.append((0..<700).map { _ in (Double(Int64.random(in: -5_000_000...5_000_000, using: &rng)) / power).bitPattern })
        }
        var v = 230.0
        cases.append((0..<1000).map { _ in v += Double(Int.random(in: -100...100, using: &rng)) / 100; return v.bitPattern })
        // Decimal data with one disqualifying value.
        var mixed = (0..<300).map { (Double($0) / 10).bitPattern }
        mixed[150] = (-0.0).bitPattern
        cases.append(mixed)
        cases.append((0..<300).map { (Double($0) / 10).bitPattern } + [Double.nan.bitPattern])
        cases.append([(9_007_199_254_740_991.0).bitPattern, (9_007_199_254_740_992.0).bitPattern])
        cases.append([Double(bitPattern: 0x0000_0000_0000_0001).bitPattern, 1.0.bitPattern])
        return cases
    }
}
