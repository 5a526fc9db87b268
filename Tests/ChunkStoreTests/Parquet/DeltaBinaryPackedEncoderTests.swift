import Testing
@testable import ChunkStore

/// A strict DELTA_BINARY_PACKED reader written from the Parquet format specification
/// (Encodings.md, "Delta Encoding (DELTA_BINARY_PACKED = 5)"), independent of the
/// writer's helpers: it reads bit by bit, wraps additions as two's complement as the spec
/// requires, and fails on anything the spec does not allow (a truncated stream, a block
/// size that is not a multiple of 128, miniblocks not a multiple of 32 values, a width
/// over 64, non-zero widths of unused miniblocks, bytes left over).
private struct ReferenceDeltaDecoder {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw Failure(description: "truncated at byte \(offset)") }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// ULEB128: 7 bits a byte, least significant group first, high bit set on all but the last.
    mutating func uleb128() throws -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, through: 63, by: 7) {
            let b = try byte()
            value |= UInt64(b & 0x7F) << UInt64(shift)
            if b & 0x80 == 0 { return value }
        }
        throw Failure(description: "varint longer than 10 bytes at \(offset)")
    }

    /// Zigzag: 0, -1, 1, -2, … map to 0, 1, 2, 3, …
    mutating func zigzag() throws -> Int64 {
        let u = try uleb128()
        return Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
    }

    /// The decoded values, and the widths of every miniblock in stream order.
    mutating func decode() throws -> (values: [Int64], widths: [Int]) {
        let blockSize = Int(try uleb128()), miniblocks = Int(try uleb128()), total = Int(try uleb128())
        guard blockSize > 0, blockSize % 128 == 0, miniblocks > 0, blockSize % miniblocks == 0,
              (blockSize / miniblocks) % 32 == 0 else {
            throw Failure(description: "bad layout \(blockSize)/\(miniblocks)")
        }
        let per = blockSize / miniblocks
        let first = try zigzag()
        var values: [Int64] = total > 0 ? [first] : []
        var allWidths: [Int] = []
        while values.count < total {
            let minDelta = try zigzag()
            let widths = try (0..<miniblocks).map { _ in Int(try byte()) }
            allWidths += widths
            for (m, width) in widths.enumerated() {
                guard values.count < total else {
                    // Miniblocks past the last value: width byte present, body absent.
                    guard width == 0 else { throw Failure(description: "unused miniblock \(m) has width \(width)") }
                    continue
                }
                guard width <= 64 else { throw Failure(description: "width \(width)") }
                let start = offset
                offset += per * width / 8  // a miniblock is whole bytes: 32 × width bits
                guard offset <= bytes.count else { throw Failure(description: "miniblock past the end") }
                for i in 0..<per where values.count < total {
                    var packed: UInt64 = 0
                    for k in 0..<width {
                        let bit = i * width + k
                        if bytes[start + bit / 8] >> (bit % 8) & 1 == 1 { packed |= 1 << UInt64(k) }
                    }
                    let delta = minDelta &+ Int64(bitPattern: packed)
                    values.append(values[values.count - 1] &+ delta)
                }
            }
        }
        guard offset == bytes.count else { throw Failure(description: "\(bytes.count - offset) bytes left over") }
        return (values, allWidths)
    }
}

private func encoded(_ values: [Int64], _ layout: DeltaBinaryPackedEncoder.Layout = .small) -> [UInt8] {
    var out = ByteWriter()
    DeltaBinaryPackedEncoder.encode(values[...], layout: layout, into: &out)
    return out.bytes
}

private func decoded(_ bytes: [UInt8]) throws -> (values: [Int64], widths: [Int]) {
    var decoder = ReferenceDeltaDecoder(bytes)
    return try decoder.decode()
}

@Suite struct DeltaBinaryPackedEncoderTests {
    @Test(arguments: DeltaBinaryPackedEncoder.Layout.candidates)
    func emptyAndSingleValuesAreAHeaderOnly(layout: DeltaBinaryPackedEncoder.Layout) throws {
        #expect(try decoded(encoded([], layout)).values == [])
        let one = encoded([-3], layout)
        #expect(try decoded(one).values == [-3])
        // block size, miniblock count, total 1, first value zigzag(-3) = 5: no block follows.
        var header = ByteWriter()
        header.appendUVarint(UInt64(layout.blockSize))
        header.appendUVarint(UInt64(layout.miniblocks))
        #expect(one == header.bytes + [0x01, 0x05])
    }

    @Test func oneHundredTwentyNineValuesFillExactlyOneBlock() throws {
        // 129 values are the first value plus 128 deltas: one block, all four miniblocks used.
        let values = (0..<129).map { Int64($0 * $0) }
        let (back, widths) = try decoded(encoded(values))
        #expect(back == values)
        #expect(widths.count == 4 && widths.allSatisfy { $0 > 0 })
        // One more value starts a second block: one miniblock of 32 (padded) and three zero widths.
        let more = values + [values[128] + 1_000]
        let (back2, widths2) = try decoded(encoded(more))
        #expect(back2 == more)
        #expect(widths2.count == 8 && widths2[5...] == [0, 0, 0])
    }

    @Test func constantAndSteadySeriesCostOnlyHeaders() throws {
        for step: Int64 in [0, 1, -7, 1_000_000_000] {
            let values = (0..<1000).map { 42 &+ Int64($0) &* step }
            let bytes = encoded(values)
            let (back, widths) = try decoded(bytes)
            #expect(back == values && widths.allSatisfy { $0 == 0 }, "step \(step)")
            // A 6-byte header, then 999 deltas in 8 blocks of a min delta (≤ 5 bytes here) and
            // 4 width bytes: nothing is packed.
            #expect(bytes.count <= 6 + 8 * (5 + 4), "step \(step)")
        }
    }

    @Test(arguments: DeltaBinaryPackedEncoder.Layout.candidates)
    func extremeDeltasWrapAsTwosComplement(layout: DeltaBinaryPackedEncoder.Layout) throws {
        // Int64.min → Int64.max is a delta of 2^64 − 1, which wraps to −1; max → min wraps to +1;
        // 0 → min is −2^63 (itself the minimum delta), min → 0 is 2^63 (wraps to Int64.min).
        let cases: [[Int64]] = [
            [Int64.min, Int64.max],
            [Int64.max, Int64.min],
            [0, Int64.min, 0, Int64.max, -1, Int64.min, Int64.min, Int64.max],
            (0..<300).map { $0 % 2 == 0 ? Int64.min : Int64.max },
            (0..<200).map { $0 % 3 == 0 ? Int64.min : ($0 % 3 == 1 ? 0 : Int64.max) },
        ]
        for values in cases {
            #expect(try decoded(encoded(values, layout)).values == values, "\(values.prefix(4))… in \(layout)")
        }
        // Deltas spanning the whole 64-bit range need a 64-bit miniblock.
        let (_, widths) = try decoded(encoded([0, Int64.min, 0, Int64.max, -1], layout))
        #expect(widths.contains(64))
    }

    @Test(arguments: DeltaBinaryPackedEncoder.Layout.candidates)
    func randomValuesRoundTrip(layout: DeltaBinaryPackedEncoder.Layout) throws {
        var rng = SeededRandom(seed: 77)
        for count in [2, 31, 32, 33, 127, 128, 129, 130, 1023, 1024, 1025, 4097] {
            let full = (0..<count).map { _ in Int64(bitPattern: rng.next()) }
            #expect(try decoded(encoded(full, layout)).values == full, "full range, \(count)")
            // Small random steps (widths vary from miniblock to miniblock), with negative moves.
            var v: Int64 = -5_000_000_000
            let walk = (0..<count).map { i -> Int64 in
                v &+= Int64(rng.next() % (i % 64 < 32 ? 17 : 1 << 20)) - 8
                return v
            }
            #expect(try decoded(encoded(walk, layout)).values == walk, "walk, \(count)")
        }
    }

    @Test func nanosecondTimestampsPackTheirJitterOnly() throws {
        // Whole-millisecond readings every second with ±100 ms jitter, in nanoseconds (time_ns):
        // each delta lies in a range of 0.4 s = 4 × 10^8 ns, so each needs at most 29 bits.
        var rng = SeededRandom(seed: 3)
        let base: Int64 = 1_767_225_600 * 1_000_000_000
        let values = (0..<4096).map { base + Int64($0) * 1_000_000_000 + (Int64(rng.next() % 201) - 100) * 1_000_000 }
        let bytes = encoded(values, .wide)
        let (back, widths) = try decoded(bytes)
        #expect(back == values)
        #expect(widths.allSatisfy { $0 <= 29 })
        #expect(bytes.count < values.count * 29 / 8 + 200)
    }
}
