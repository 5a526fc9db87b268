import Testing
@testable import ChunkStore

@Suite struct FormatCodecTests {
    private func decode<T>(_ bytes: [UInt8], _ body: (inout ByteReader) throws -> T) throws -> T {
        try bytes.withUnsafeBytes { raw throws in
            var r = ByteReader(raw)
            let value = try body(&r)
            #expect(r.isAtEnd, "decoder left \(r.remaining) bytes")
            return value
        }
    }

    @Test func integerCodecRoundTrips() throws {
        var rng = SeededRandom(seed: 10)
        for values in FormatSamples.intSequences(&rng) {
            var w = ByteWriter()
            IntegerCodec.encode(values, into: &w)
            var out: [Int64] = []
            try decode(w.bytes) { try IntegerCodec.decode(&$0, count: values.count, into: &out) }
            #expect(out == values)
        }
    }

    @Test func integerCodecUsesZeroWidthBlocksForConstantDeltas() {
        var w = ByteWriter()
        IntegerCodec.encode((0..<1281).map { Int64($0) * 0 + 7 }, into: &w)
        // first value (1 byte) + 10 blocks of width 0.
        #expect(w.count == 1 + 10)
    }

    @Test func timestampCodecRoundTrips() throws {
        var rng = SeededRandom(seed: 11)
        for values in FormatSamples.timestampSequences(&rng) {
            var w = ByteWriter()
            TimestampCodec.encode(values, into: &w)
            var out: [Int64] = []
            try decode(w.bytes) { _ = try TimestampCodec.decode(&$0, count: values.count, into: &out) }
            #expect(out == values, "count \(values.count)")
        }
    }

    /// The decoder's "strictly increasing" answer matches the values, including steps
    /// of zero, negative steps and sequences whose deltas would wrap past Int64.max.
    @Test func timestampDecodeReportsStrictOrder() throws {
        var rng = SeededRandom(seed: 12)
        var sequences = FormatSamples.timestampSequences(&rng)
        sequences += [[.min, .max], [.max - 1, .max], [0, 0], [5, 4], [.min, 0, .max], [1, 2, 2, 3]]
        for values in sequences {
            var w = ByteWriter()
            TimestampCodec.encode(values, into: &w)
            var out: [Int64] = []
            var increasing = false
            try decode(w.bytes) { increasing = try TimestampCodec.decode(&$0, count: values.count, into: &out) }
            let expected = zip(values, values.dropFirst()).allSatisfy { $0 < $1 }
            #expect(increasing == expected, "\(values.prefix(4))… (\(values.count))")
        }
    }

    @Test func regularTimestampsCostAlmostNothing() {
        let minute: Int64 = 60_000_000_000
        let ts = (0..<10_000).map { 1_166_289_840_000_000_000 + Int64($0) * minute }
        var w = ByteWriter()
        TimestampCodec.encode(ts, into: &w)
        // first (9 bytes) + unit (6) + first scaled delta (1) + 79 zero-width blocks.
        #expect(w.count < 100)
        #expect(Double(w.count * 8) / Double(ts.count) < 0.1)
    }

    @Test func floatCodecsRoundTripEveryBitPattern() throws {
        var rng = SeededRandom(seed: 12)
        for values in FormatSamples.floatSequences(&rng) {
            var w = ByteWriter()
            let codec = FloatCodec.encode(bits: values, into: &w)
            var out: [UInt64] = []
            try decode(w.bytes) { try FloatCodec.decode(&$0, codec: codec, count: values.count, into: &out) }
            #expect(out == values, "codec \(codec)")

            // XOR must take anything, whatever the chooser picked.
            var x = ByteWriter()
            values.withUnsafeBufferPointer { FloatXORCodec.encode(bits: $0, into: &x) }
            var xOut: [UInt64] = []
            try decode(x.bytes) { try FloatXORCodec.decode(&$0, count: values.count, into: &xOut) }
            #expect(xOut == values)
        }
    }

    @Test func decimalScalingPicksTheSmallestScale() {
        func scale(_ values: [Double]) -> Int? {
            values.map(\.bitPattern).withUnsafeBufferPointer { FloatDecimalCodec.scale(for: $0) }
        }
        #expect(scale([1, 2, 3, -40]) == 0)
        #expect(scale([0.5, 1]) == 1)
        #expect(scale([234.84, 0.418, 4.216]) == 3)
        #expect(scale([0.000000001]) == 9)
        #expect(scale([0.0000000001]) == nil)
        #expect(scale([1, -0.0]) == nil)
        #expect(scale([1, .nan]) == nil)
        #expect(scale([.infinity]) == nil)
        #expect(scale([.leastNonzeroMagnitude]) == nil)
        #expect(scale([1e300]) == nil)
        #expect(scale([9_007_199_254_740_992.0]) == nil)
        #expect(scale([9_007_199_254_740_991.0]) == 0)
        #expect(scale([.pi]) == nil)
        var w = ByteWriter()
        #expect(FloatCodec.encode(bits: [0.25, 1.5].map(\.bitPattern), into: &w) == .floatDecimal)
        #expect(w.bytes[0] == 2)
    }

    @Test func boolCodecRoundTrips() throws {
        var rng = SeededRandom(seed: 13)
        for n in [0, 1, 7, 8, 9, 63, 64, 65, 1000] {
            let values: [UInt64] = (0..<n).map { _ in Bool.random(using: &rng) ? 1 : 0 }
            var w = ByteWriter()
            values.withUnsafeBufferPointer { BoolCodec.encode(bits: $0, into: &w) }
            #expect(w.count == (n + 7) / 8)
            var out: [UInt64] = []
            try decode(w.bytes) { try BoolCodec.decode(&$0, count: n, into: &out) }
            #expect(out == values)
        }
        // Non-zero padding is corruption.
        [UInt8(0b1000_0001)].withUnsafeBytes { raw in
            var r = ByteReader(raw)
            #expect(throws: FormatError.self) { _ = try BoolCodec.decodeBitmap(&r, count: 3) }
        }
    }

    @Test func packedBlocksRejectBadWidthsAndImpossibleCounts() {
        [UInt8(65)].withUnsafeBytes { raw in
            var r = ByteReader(raw)
            var out: [UInt64] = []
            #expect(throws: FormatError.self) { try PackedBlocks.decode(&r, count: 1, into: &out) }
        }
        [UInt8(0)].withUnsafeBytes { raw in
            var r = ByteReader(raw)
            var out: [UInt64] = []
            #expect(throws: FormatError.self) { try PackedBlocks.decode(&r, count: 1 << 40, into: &out) }
            #expect(out.capacity < 1 << 20)
        }
    }

    @Test func xorDecoderRejectsInvalidWindows() {
        var w = ByteWriter()
        var bits = BitWriter()
        bits.write(0, width: 64, to: &w)
        bits.write(0b01, width: 2, to: &w)  // reuse before any window
        bits.write(0, width: 20, to: &w)
        bits.finish(to: &w)
        w.bytes.withUnsafeBytes { raw in
            var r = ByteReader(raw)
            var out: [UInt64] = []
            #expect(throws: FormatError.self) { try FloatXORCodec.decode(&r, count: 2, into: &out) }
        }
        var v = ByteWriter()
        bits.write(0, width: 64, to: &v)
        bits.write(0b11, width: 2, to: &v)
        bits.write(40, width: 6, to: &v)  // lead 40 + len 64 > 64
        bits.write(63, width: 6, to: &v)
        bits.write(0, width: 64, to: &v)
        bits.finish(to: &v)
        v.bytes.withUnsafeBytes { raw in
            var r = ByteReader(raw)
            var out: [UInt64] = []
            #expect(throws: FormatError.self) { try FloatXORCodec.decode(&r, count: 2, into: &out) }
        }
    }
}
