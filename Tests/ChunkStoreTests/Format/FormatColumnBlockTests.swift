import Testing
@testable import ChunkStore

@Suite struct FormatColumnBlockTests {
    private func column(_ type: FieldType, _ bits: [UInt64], presence: [Bool]? = nil) -> FieldColumn {
        let present = presence.map { Bitmap($0) } ?? Bitmap(count: bits.count, value: true)
        let masked = bits.enumerated().map { present[$0.offset] ? $0.element : 0 }
        return FieldColumn(name: "f", type: type, bits: masked, present: present)
    }

    /// Every field column case: each value sequence with all, some and no values present.
    private func fieldCases(_ rng: inout SeededRandom) -> [FieldColumn] {
        var cases: [FieldColumn] = []
        var sequences: [(FieldType, [UInt64])] = []
        sequences += FormatSamples.floatSequences(&rng).map { (.float, $0) }
        sequences += FormatSamples.intSequences(&rng).map { (.int, $0.map { UInt64(bitPattern: $0) }) }
        for n in [0, 1, 2, 64, 65, 1000] {
            sequences.append((.bool, (0..<n).map { _ in Bool.random(using: &rng) ? 1 : 0 }))
        }
        sequences.append((.bool, [UInt64](repeating: 1, count: 5000)))
        for (type, bits) in sequences {
            cases.append(column(type, bits))
            cases.append(column(type, bits, presence: bits.map { _ in Bool.random(using: &rng) }))
            cases.append(column(type, bits, presence: bits.map { _ in false }))
            cases.append(column(type, bits, presence: bits.indices.map { $0 % 100 != 7 }))
        }
        return cases
    }

    private func encode(_ column: FieldColumn) -> [UInt8] {
        var out = ByteWriter()
        var scratch = ColumnScratch()
        out.appendU8(0xEE)  // blocks need not start at offset 0
        ColumnBlock.encodeField(column, into: &out, scratch: &scratch)
        return out.bytes
    }

    private func decodeField(_ bytes: [UInt8], like column: FieldColumn) throws -> FieldColumn {
        try bytes.withUnsafeBytes { raw throws in
            var r = ByteReader(raw)
            _ = try r.readU8()
            let decoded = try ColumnBlock.decodeField(&r, name: column.name, type: column.type, count: column.bits.count)
            guard r.isAtEnd else { throw FormatError(offset: r.offset, "trailing bytes") }
            return decoded
        }
    }

    @Test func fieldColumnsRoundTrip() throws {
        var rng = SeededRandom(seed: 20)
        for original in fieldCases(&rng) {
            let decoded = try decodeField(encode(original), like: original)
            #expect(decoded == original, "\(original.type) count \(original.bits.count)")
        }
    }

    @Test func timestampColumnsRoundTrip() throws {
        var rng = SeededRandom(seed: 21)
        var scratch = ColumnScratch()
        for ts in FormatSamples.timestampSequences(&rng) {
            var out = ByteWriter()
            ColumnBlock.encodeTimestamps(ts, into: &out, scratch: &scratch)
            let decoded = try out.bytes.withUnsafeBytes { raw throws in
                var r = ByteReader(raw)
                let d = try ColumnBlock.decodeTimestamps(&r, count: ts.count)
                #expect(r.isAtEnd)
                return d
            }
            #expect(decoded == ts)
        }
    }

    @Test func compressesOnlyWhenItHelps() throws {
        var scratch = ColumnScratch()
        var out = ByteWriter()
        let ints = column(.int, (0..<4000).map { UInt64($0 % 50) })  // repetitive deltas
        ColumnBlock.encodeField(ints, into: &out, scratch: &scratch)
        #expect(out.bytes[0] == ColumnCodecID.integerDelta.rawValue)
        #expect(out.bytes[1] == ColumnCompression.lz4.rawValue)
        #expect(try decodeField([0xEE] + out.bytes, like: ints) == ints)

        var rng = SeededRandom(seed: 22)
        let noise = column(.float, (0..<500).map { _ in rng.next() })
        out.reset()
        ColumnBlock.encodeField(noise, into: &out, scratch: &scratch)
        #expect(out.bytes[0] == ColumnCodecID.floatXOR.rawValue)
        #expect(out.bytes[1] == ColumnCompression.none.rawValue)
    }

    /// Long payloads get a full LZ4 attempt only when their first KiB compresses.
    @Test func longPayloadsAreProbedBeforeCompressing() throws {
        var rng = SeededRandom(seed: 24)
        var scratch = ColumnScratch()
        // XOR floats: ~8 bytes of noise per value, then a long run of one value, which
        // LZ4 would shrink, but the probe over the noisy start says no.
        let noisyStart = column(.float, (0..<400).map { _ in rng.next() } + [UInt64](repeating: 7, count: 40_000))
        var out = ByteWriter()
        ColumnBlock.encodeField(noisyStart, into: &out, scratch: &scratch)
        #expect(out.bytes[1] == ColumnCompression.none.rawValue)
        #expect(try decodeField([0xEE] + out.bytes, like: noisyStart) == noisyStart)
        // The same values the other way round: the probe sees the run and LZ4 pays.
        let quietStart = column(.float, [UInt64](repeating: 7, count: 40_000) + (0..<400).map { _ in rng.next() })
        out.reset()
        ColumnBlock.encodeField(quietStart, into: &out, scratch: &scratch)
        #expect(out.bytes[1] == ColumnCompression.lz4.rawValue)
        #expect(try decodeField([0xEE] + out.bytes, like: quietStart) == quietStart)
        // Up to twice the probe length there is no probe: the whole payload is tried.
        let short = column(.float, (0..<120).map { _ in rng.next() } + [UInt64](repeating: 7, count: 1000))
        out.reset()
        ColumnBlock.encodeField(short, into: &out, scratch: &scratch)
        #expect(out.bytes[1] == ColumnCompression.lz4.rawValue)
    }

    @Test func headerErrorsAreRejected() {
        let good = encode(column(.int, [1, 2, 3]))  // EE 02 00 len len payload
        var badCodec = good; badCodec[1] = 9
        var badCompression = good; badCompression[2] = 7
        var wrongType = good; wrongType[1] = ColumnCodecID.floatXOR.rawValue
        var lengthBeyond = good; lengthBeyond[4] = 0x7F
        var hugeLength = good; hugeLength.replaceSubrange(3...3, with: [0xFF, 0xFF, 0xFF, 0x7F])
        for bytes in [badCodec, badCompression, wrongType, lengthBeyond, hugeLength] {
            #expect(throws: FormatError.self) { try decodeField(bytes, like: column(.int, [1, 2, 3])) }
        }
        // Counts that do not match the payload. (Not every wrong count is detectable:
        // 4 rows instead of 3 fit the same padded byte of 2-bit deltas.)
        for wrongCount in [0, 1, 2, 1000, -1, Int.max, 1 << 40] {
            #expect(throws: FormatError.self) {
                try good.withUnsafeBytes { raw throws in
                    var r = ByteReader(raw)
                    _ = try r.readU8()
                    _ = try ColumnBlock.decodeField(&r, name: "f", type: .int, count: wrongCount)
                }
            }
        }
    }

    /// Truncating an encoded block anywhere must throw; flipping bytes must throw
    /// or decode, never trap.
    @Test func decoderSurvivesTruncationAndCorruption() throws {
        var rng = SeededRandom(seed: 23)
        var blocks: [(FieldColumn?, [Int64]?, [UInt8])] = []
        for c in fieldCases(&rng) where c.bits.count <= 1000 {
            blocks.append((c, nil, encode(c)))
        }
        var scratch = ColumnScratch()
        for ts in FormatSamples.timestampSequences(&rng) where ts.count <= 1000 {
            var out = ByteWriter()
            out.appendU8(0xEE)
            ColumnBlock.encodeTimestamps(ts, into: &out, scratch: &scratch)
            blocks.append((nil, ts, out.bytes))
        }
        func attempt(_ bytes: [UInt8], _ c: FieldColumn?, _ ts: [Int64]?) throws {
            try bytes.withUnsafeBytes { raw throws in
                var r = ByteReader(raw)
                _ = try r.readU8()
                if let c {
                    _ = try ColumnBlock.decodeField(&r, name: c.name, type: c.type, count: c.bits.count)
                } else if let ts {
                    _ = try ColumnBlock.decodeTimestamps(&r, count: ts.count)
                }
            }
        }
        var decodedDespiteFlip = 0
        var flips = 0
        for (c, ts, bytes) in blocks {
            // Every truncation of small blocks; a sample of cut points for large ones.
            let cuts = bytes.count <= 300 ? Array(1..<bytes.count)
                : (0..<300).map { _ in Int.random(in: 1..<bytes.count, using: &rng) }
            for cut in cuts {
                #expect(throws: FormatError.self) { try attempt(Array(bytes[..<cut]), c, ts) }
            }
            for _ in 0..<40 {
                var corrupt = bytes
                let flipsHere = Int.random(in: 1...3, using: &rng)
                for _ in 0..<flipsHere {
                    let at = Int.random(in: 1..<corrupt.count, using: &rng)
                    corrupt[at] ^= UInt8.random(in: 1...255, using: &rng)
                }
                flips += 1
                if (try? attempt(corrupt, c, ts)) != nil { decodedDespiteFlip += 1 }
            }
        }
        print("column block fuzz: \(blocks.count) blocks, \(flips) corruptions, \(decodedDespiteFlip) still decoded")
    }
}
