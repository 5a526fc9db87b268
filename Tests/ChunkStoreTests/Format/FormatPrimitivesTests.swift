import Testing
@testable import ChunkStore

@Suite struct FormatPrimitivesTests {
    @Test func fixedWidthLittleEndianRoundTrip() throws {
        var w = ByteWriter()
        w.appendU8(0xAB)
        w.appendU16(0x1234)
        w.appendU32(0xDEAD_BEEF)
        w.appendU64(0x0102_0304_0506_0708)
        w.appendI64(-2)
        #expect(w.count == 1 + 2 + 4 + 8 + 8)
        #expect(Array(w.bytes[1...2]) == [0x34, 0x12])
        #expect(Array(w.bytes[7...14]) == [8, 7, 6, 5, 4, 3, 2, 1])
        try w.bytes.withUnsafeBytes { raw throws in
            var r = ByteReader(raw)
            #expect(try r.readU8() == 0xAB)
            #expect(try r.readU16() == 0x1234)
            #expect(try r.readU32() == 0xDEAD_BEEF)
            #expect(try r.readU64() == 0x0102_0304_0506_0708)
            #expect(try r.readI64() == -2)
            #expect(r.isAtEnd && r.remaining == 0)
            #expect(throws: FormatError.self) { try r.readU8() }
        }
    }

    @Test func resetKeepsCapacity() {
        var w = ByteWriter(capacity: 1000)
        w.append([UInt8](repeating: 7, count: 900))
        let capacity = w.bytes.capacity
        w.reset()
        #expect(w.count == 0 && w.bytes.capacity == capacity)
    }

    @Test func varintsRoundTrip() throws {
        var rng = SeededRandom(seed: 1)
        var unsigned: [UInt64] = [0, 1, 127, 128, 255, 16383, 16384, UInt64.max, UInt64.max - 1, 1 << 63]
        var signed: [Int64] = [0, -1, 1, Int64.min, Int64.max, Int64.min + 1, Int64.max - 1, -64, 63, -65, 64]
        for _ in 0..<1000 {
            let shift = UInt64.random(in: 0...63, using: &rng)
            unsigned.append(rng.next() >> shift)
            signed.append(Int64(bitPattern: rng.next()) >> Int64(shift))
        }
        var w = ByteWriter()
        for u in unsigned { w.appendUVarint(u) }
        for s in signed { w.appendZigZagVarint(s) }
        try w.bytes.withUnsafeBytes { raw throws in
            var r = ByteReader(raw)
            for u in unsigned { #expect(try r.readUVarint() == u) }
            for s in signed { #expect(try r.readZigZagVarint() == s) }
            #expect(r.isAtEnd)
        }
        #expect(ZigZag.encode(0) == 0 && ZigZag.encode(-1) == 1 && ZigZag.encode(1) == 2)
        #expect(ZigZag.encode(Int64.min) == UInt64.max)
    }

    @Test func varintRejectsOverflowAndTruncation() {
        let cases: [[UInt8]] = [
            [0x80],  // truncated
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02],  // bit 64
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x81, 0x00],  // 11 bytes
            [],
        ]
        for bytes in cases {
            bytes.withUnsafeBytes { raw in
                var r = ByteReader(raw)
                #expect(throws: FormatError.self) { try r.readUVarint() }
            }
        }
        ([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] as [UInt8]).withUnsafeBytes { raw in
            var r = ByteReader(raw)
            #expect((try? r.readUVarint()) == UInt64.max)
        }
    }

    @Test func readBytesIsBoundsChecked() throws {
        try [UInt8](1...10).withUnsafeBytes { raw in
            var r = ByteReader(raw)
            _ = try r.readU8()
            let slice = try r.readBytes(4)
            #expect(Array(slice) == [2, 3, 4, 5])
            #expect(throws: FormatError.self) { try r.readBytes(6) }
            #expect(throws: FormatError.self) { try r.readBytes(-1) }
            do {
                _ = try r.readU64()
                Issue.record("expected a throw")
            } catch let error as FormatError {
                #expect(error.offset == 5)
            }
        }
    }

    @Test func bitWriterAndReaderAgree() throws {
        var rng = SeededRandom(seed: 2)
        var fields: [(UInt64, Int)] = []
        for _ in 0..<5000 {
            let width = Int.random(in: 0...64, using: &rng)
            let value = width == 0 ? 0 : rng.next() >> UInt64(64 - width)
            fields.append((value, width))
        }
        var w = ByteWriter()
        var bits = BitWriter()
        for (v, width) in fields { bits.write(v, width: width, to: &w) }
        bits.finish(to: &w)
        let totalBits = fields.reduce(0) { $0 + $1.1 }
        #expect(w.count == (totalBits + 7) / 8)
        try w.bytes.withUnsafeBytes { raw throws in
            var r = BitReader(raw, baseOffset: 0)
            for (v, width) in fields { #expect(try r.read(width) == v) }
            #expect(throws: FormatError.self) { try r.read(9) }
        }
    }

    @Test func bitOrderIsLeastSignificantFirst() {
        var w = ByteWriter()
        var bits = BitWriter()
        bits.write(1, width: 1, to: &w)
        bits.write(0b101, width: 3, to: &w)
        bits.write(0xF, width: 4, to: &w)
        bits.write(0x3, width: 2, to: &w)
        bits.finish(to: &w)
        #expect(w.bytes == [0b1111_1011, 0b11])
    }

    // MARK: CRC32C

    private func referenceCRC(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    @Test func crc32cKnownVectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        // RFC 3720 (iSCSI) appendix B.4.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
    }

    @Test func crc32cMatchesBitwiseReferenceAndChains() {
        var rng = SeededRandom(seed: 3)
        for length in [1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4099] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let whole = CRC32C.checksum(bytes)
            #expect(whole == referenceCRC(bytes))
            // The hardware path (when the processor has one) and the table path agree.
            #expect(bytes.withUnsafeBytes { CRC32C.software($0) } == whole)
            let cut = Int.random(in: 0...length, using: &rng)
            let first = CRC32C.checksum(Array(bytes[..<cut]))
            #expect(CRC32C.checksum(Array(bytes[cut...]), seed: first) == whole)
        }
    }

    /// Lengths around the three-stream strides (3 × 256 and 3 × 4096 bytes) and their
    /// multiples, with odd starting offsets: the interleaved path agrees with the table one.
    @Test func crc32cInterleavedStridesAgree() {
        var rng = SeededRandom(seed: 9)
        let base = (0..<40_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        for length in [767, 768, 769, 775, 1536, 12_287, 12_288, 12_289, 12_288 + 768 + 5, 24_576, 36_864 + 1_000, 39_990] {
            let offset = Int.random(in: 0...7, using: &rng)
            let bytes = Array(base[offset..<(offset + length)])
            let seed = UInt32.random(in: 0...UInt32.max, using: &rng)
            let software = bytes.withUnsafeBytes { CRC32C.software($0, seed: seed) }
            #expect(CRC32C.checksum(bytes, seed: seed) == software, "\(length) bytes")
        }
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 12_288)) == referenceCRC([UInt8](repeating: 0, count: 12_288)))
    }

    // MARK: LZ4

    @Test func lz4RoundTrip() throws {
        var rng = SeededRandom(seed: 4)
        let inputs: [[UInt8]] = [
            [],
            [42],
            [UInt8](repeating: 9, count: 100_000),
            (0..<5000).map { _ in UInt8.random(in: 0...255, using: &rng) },
            (0..<20000).map { UInt8(truncatingIfNeeded: $0 % 37) },
        ]
        for input in inputs {
            var w = ByteWriter()
            let ok = input.withUnsafeBytes { LZ4Block.compress($0, into: &w) }
            #expect(ok)
            var out: [UInt8] = [1, 2, 3]
            try w.bytes.withUnsafeBytes { try LZ4Block.decompress($0, decodedLength: input.count, into: &out) }
            #expect(out == input)
        }
    }

    @Test func lz4RejectsCorruptInput() throws {
        let input = (0..<3000).map { UInt8(truncatingIfNeeded: ($0 * 7) % 251) }
        var w = ByteWriter()
        input.withUnsafeBytes { _ = LZ4Block.compress($0, into: &w) }
        var out: [UInt8] = []
        try w.bytes.withUnsafeBytes { raw throws in
            for wrong in [input.count - 1, input.count + 1, 0] {
                #expect(throws: FormatError.self) { try LZ4Block.decompress(raw, decodedLength: wrong, into: &out) }
            }
            #expect(throws: FormatError.self) { try LZ4Block.decompress(raw, decodedLength: -1, into: &out) }
            #expect(throws: FormatError.self) { try LZ4Block.decompress(raw, decodedLength: raw.count * 1000, into: &out) }
            for cut in 0..<raw.count {
                #expect(throws: FormatError.self) {
                    try LZ4Block.decompress(UnsafeRawBufferPointer(rebasing: raw[..<cut]), decodedLength: input.count, into: &out)
                }
            }
        }
        // Random garbage never traps; if it happens to decode, the length is exact.
        var rng = SeededRandom(seed: 5)
        for _ in 0..<500 {
            let garbage = (0..<Int.random(in: 1...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            garbage.withUnsafeBytes { raw in
                if (try? LZ4Block.decompress(raw, decodedLength: 100, into: &out)) != nil { #expect(out.count == 100) }
            }
        }
    }
}
