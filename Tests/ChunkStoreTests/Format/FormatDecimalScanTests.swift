import Testing
@testable import ChunkStore

/// The one-pass decimal scale search against the rule applied literally: the smallest
/// k in 0...9 at which every value is exact, then every mantissa at that k.
@Suite struct FormatDecimalScanTests {
    private func literal(_ values: [UInt64]) -> (Int, [Int64])? {
        for k in 0...FloatDecimalCodec.maxScale {
            let m = values.map { FloatDecimalCodec.mantissa(of: $0, scale: k) }
            if m.allSatisfy({ $0 != nil }) { return (k, m.map { $0! }) }
        }
        return nil
    }

    private func cases(_ rng: inout SeededRandom) -> [[UInt64]] {
        var cases = FormatSamples.floatSequences(&rng)
        // Scales that only show late in the column, after the sampled values.
        for k in 1...9 {
            var values = (0..<1000).map { Double($0 * 3 - 1500).bitPattern }
            values[Int.random(in: 20..<1000, using: &rng)] = (1 / FloatDecimalCodec.powerOfTen(k) * 7).bitPattern
            cases.append(values)
        }
        // Magnitudes around the fast check's 2^50 limit and the rule's 2^53 limit.
        for e in [49, 50, 51, 52, 53] {
            let big = Double(sign: .plus, exponent: e, significand: 1)
            cases.append([big, big + 1, -big, big - 1, big / 10, 0.5].map(\.bitPattern))
            cases.append((0..<200).map { (big + Double($0)).bitPattern })
        }
        // Mixed scales, negative values, and values exact at k but not k + 1 (if any).
        cases.append((0..<500).map { _ in (Double(Int.random(in: -99_999...99_999, using: &rng)) / 1000).bitPattern })
        cases.append((0..<500).map { i in (i % 97 == 0 ? 0.001 : Double(i)).bitPattern })
        cases.append([4.35, 0.1 + 0.2, 1e-9, 123456.789].map(\.bitPattern))
        for _ in 0..<50 {
            let k = Int.random(in: 0...9, using: &rng)
            let n = Int.random(in: 1...300, using: &rng)
            cases.append((0..<n).map { _ in
                (Double(Int64.random(in: -(1 << 40)...(1 << 40), using: &rng)) / FloatDecimalCodec.powerOfTen(k)).bitPattern
            })
        }
        return cases
    }

    @Test func findsTheRulesScaleAndMantissas() {
        var rng = SeededRandom(seed: 31)
        for values in cases(&rng) {
            var mantissas: [Int64] = [42]  // stale scratch contents must not matter
            let k = values.withUnsafeBufferPointer { DecimalScan.mantissas($0, into: &mantissas) }
            if let (expectedScale, expected) = literal(values) {
                #expect(k == expectedScale, "\(values.prefix(4).map { Double(bitPattern: $0) })")
                #expect(Array(mantissas.prefix(values.count)) == expected)
            } else {
                #expect(k == nil, "\(values.prefix(4).map { Double(bitPattern: $0) })")
            }
        }
    }

    @Test func encodesLikeTheLiteralRule() {
        var rng = SeededRandom(seed: 32)
        for values in cases(&rng) where !values.isEmpty {
            var fast = ByteWriter()
            let codec = FloatCodec.encode(bits: values, into: &fast)
            var expected = ByteWriter()
            if let (k, m) = literal(values) {
                expected.appendU8(UInt8(k))
                IntegerCodec.encode(m, into: &expected)
                #expect(codec == .floatDecimal)
            } else {
                values.withUnsafeBufferPointer { FloatXORCodec.encode(bits: $0, into: &expected) }
                #expect(codec == .floatXOR)
            }
            #expect(fast.bytes == expected.bytes)
        }
    }
}
