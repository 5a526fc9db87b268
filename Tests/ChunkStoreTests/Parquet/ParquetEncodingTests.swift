import Testing
@testable import ChunkStore

/// Decodes the RLE / bit-packed hybrid (Encodings.md) for the round-trip tests.
func decodeRLEHybrid(_ bytes: [UInt8], bitWidth: Int, count: Int) -> [UInt32] {
    var out: [UInt32] = []
    var reader = ThriftCompactReader(bytes)
    while out.count < count, let header = try? reader.uvarint() {
        if header & 1 == 0 {
            var v: UInt32 = 0
            for b in 0..<((bitWidth + 7) / 8) { v |= UInt32((try? reader.byte()) ?? 0) << (8 * b) }
            out += Array(repeating: v, count: Int(header >> 1))
        } else {
            let n = Int(header >> 1) * 8
            var bit = 0
            let start = reader.offset
            for _ in 0..<n {
                var v: UInt32 = 0
                for k in 0..<bitWidth where bytes[start + (bit + k) / 8] >> ((bit + k) % 8) & 1 == 1 { v |= 1 << k }
                bit += bitWidth
                out.append(v)
            }
            reader.offset = start + n * bitWidth / 8
        }
    }
    return Array(out.prefix(count))
}

/// Decodes DELTA_BINARY_PACKED (Encodings.md) for the round-trip tests.
func decodeDelta(_ bytes: [UInt8]) throws -> [Int64] {
    var r = ThriftCompactReader(bytes)
    let blockSize = Int(try r.uvarint()), miniblocks = Int(try r.uvarint()), total = Int(try r.uvarint())
    var values = [try r.zigzag()]
    let per = blockSize / miniblocks
    while values.count < total {
        let minDelta = try r.zigzag()
        var widths: [Int] = []
        for _ in 0..<miniblocks { widths.append(Int(try r.byte())) }
        for w in widths where values.count < total {
            let start = r.offset
            for i in 0..<per {
                var v: UInt64 = 0
                for k in 0..<w where bytes[start + (i * w + k) / 8] >> ((i * w + k) % 8) & 1 == 1 { v |= 1 << UInt64(k) }
                if values.count < total { values.append(values[values.count - 1] &+ minDelta &+ Int64(bitPattern: v)) }
            }
            r.offset = start + per * w / 8
        }
    }
    return values
}

@Suite struct ParquetEncodingTests {
    @Test func thriftFieldHeadersUseShortAndLongForms() {
        var w = ThriftCompactWriter()
        w.i32(1, 1)        // delta 1, type i32 (5): 0x15, zigzag(1) = 2
        w.i64(20, -1)      // delta 19 > 15: type byte 0x06, zigzag id 40, zigzag(-1) = 1
        w.bool(21, true)   // delta 1, type BOOLEAN_TRUE: 0x11
        w.listHeader(22, elementType: .i32, count: 3)  // 0x19, then size 3 in the high nibble: 0x35
        for v: Int32 in [0, 1, 2] { w.elementI32(v) }
        w.listHeader(23, elementType: .binary, count: 20)  // 0x19, 0xF8, uvarint 20
        #expect(w.finish() == [0x15, 0x02, 0x06, 40, 0x01, 0x11, 0x19, 0x35, 0, 2, 4, 0x19, 0xF8, 20, 0x00])
    }

    @Test func thriftNestedStructsRestartFieldIDs() throws {
        var w = ThriftCompactWriter()
        w.i32(3, 7)
        w.beginStruct(5)
        w.i32(1, -2)
        w.endStruct()
        w.string(6, "ab")
        var r = ThriftCompactReader(w.finish())
        let decoded = try r.structure()
        #expect(decoded[3]?.int == 7)
        #expect(decoded[5]?[1]?.int == -2)
        #expect(decoded[6]?.string == "ab")
    }

    @Test func rleRunsAndBitPackedGroups() {
        var out = ByteWriter()
        RLEHybridEncoder.encode(count: 10, bitWidth: 1, into: &out) { _ in 0 }
        #expect(out.bytes == [0x14, 0x00])  // a run of 10 zeros
        out.reset()
        RLEHybridEncoder.encode(count: 8, bitWidth: 1, into: &out) { UInt32($0 % 2) }
        #expect(out.bytes == [0x03, 0xAA])  // one bit-packed group: 0,1,0,1,... LSB first
    }

    @Test(arguments: [1, 2, 3, 7, 8, 13, 17])
    func rleHybridRoundTrips(bitWidth: Int) {
        var rng = SeededRandom(seed: UInt64(bitWidth))
        for length in [1, 7, 8, 9, 63, 500, 505, 1000, 5000] {
            // Mixes long repeats with noise so both run kinds and their boundaries occur.
            var values: [UInt32] = []
            while values.count < length {
                let v = UInt32(rng.next() % (1 << UInt64(bitWidth)))
                let run = rng.next() % 3 == 0 ? Int(rng.next() % 40) + 1 : 1
                values += Array(repeating: v, count: run)
            }
            values = Array(values.prefix(length))
            var out = ByteWriter()
            RLEHybridEncoder.encode(count: values.count, bitWidth: bitWidth, into: &out) { values[$0] }
            #expect(decodeRLEHybrid(out.bytes, bitWidth: bitWidth, count: values.count) == values, "length \(length)")
        }
    }

    @Test func deltaOfASteadySeriesIsAHeaderAndZeroWidths() {
        var out = ByteWriter()
        DeltaBinaryPackedEncoder.encode([1, 2, 3, 4, 5], into: &out)
        // block 128, 4 miniblocks, 5 values, first 1 (zigzag 2); min delta 1 (zigzag 2), widths 0.
        #expect(out.bytes == [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0])
    }

    @Test func deltaRoundTripsIncludingWrapAround() throws {
        var rng = SeededRandom(seed: 9)
        let cases: [[Int64]] = [
            [42], [Int64.min, Int64.max, 0, -1, Int64.max, Int64.min],
            (0..<1000).map { Int64($0) * 5_000_000_000 + Int64(rng.next() % 1000) },
            (0..<777).map { _ in Int64(bitPattern: rng.next()) },
        ]
        for values in cases {
            var out = ByteWriter()
            DeltaBinaryPackedEncoder.encode(values, into: &out)
            let decoded = try decodeDelta(out.bytes)
            #expect(decoded == values)
        }
    }

    @Test func doubleStatisticsSkipNaNAndWidenZeros() {
        let s = ParquetStatistics.of([0.0, .nan, 2.5, -0.0], nullCount: 1)
        #expect(s.min == (-0.0).bitPattern.littleEndianBytes)
        #expect(s.max == (2.5).bitPattern.littleEndianBytes)
        #expect(s.nullCount == 1)
        #expect(ParquetStatistics.of([Double.nan], nullCount: 0).min == nil)
        let z = ParquetStatistics.of([0.0, -0.0], nullCount: 0)
        #expect(z.min == (-0.0).bitPattern.littleEndianBytes && z.max == (0.0).bitPattern.littleEndianBytes)
    }

    @Test func stringStatisticsCompareUnsignedBytes() {
        let s = ParquetStatistics.of(strings: [Array("b".utf8), Array("é".utf8), Array("a".utf8)], nullCount: 0)
        #expect(s.min == Array("a".utf8))
        #expect(s.max == Array("é".utf8))
    }
}

extension UInt64 {
    var littleEndianBytes: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: self >> (8 * $0)) } }
}
