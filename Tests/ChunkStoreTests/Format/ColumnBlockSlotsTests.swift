import Testing
@testable import ChunkStore

/// ``ColumnBlock/decodeField(_:name:type:count:values:present:)``, which the rollup reader
/// uses to decode into its own memory, agrees with the array decoder on every block:
/// the same values and presence, or the same error at the same offset, for intact,
/// truncated and corrupted blocks, compressed or not.
@Suite struct ColumnBlockSlotsTests {
    private enum Outcome: Equatable {
        case decoded(FieldColumn)
        case failed(FormatError)
    }

    private func column(_ type: FieldType, _ bits: [UInt64], presence: [Bool]?) -> FieldColumn {
        let present = presence.map { Bitmap($0) } ?? Bitmap(count: bits.count, value: true)
        let masked = bits.enumerated().map { present[$0.offset] ? $0.element : 0 }
        return FieldColumn(name: "f", type: type, bits: masked, present: present)
    }

    /// Value sequences of every type with all, some and no values present.
    private func cases(_ rng: inout SeededRandom) -> [FieldColumn] {
        var sequences: [(FieldType, [UInt64])] = []
        sequences += FormatSamples.floatSequences(&rng).map { (.float, $0) }
        sequences += FormatSamples.intSequences(&rng).map { (.int, $0.map { UInt64(bitPattern: $0) }) }
        for n in [0, 1, 2, 24, 64, 65, 300] {
            sequences.append((.bool, (0..<n).map { _ in Bool.random(using: &rng) ? 1 : 0 }))
        }
        var cases: [FieldColumn] = []
        for (type, bits) in sequences where bits.count <= 2_000 {
            cases.append(column(type, bits, presence: nil))
            cases.append(column(type, bits, presence: bits.map { _ in Bool.random(using: &rng) }))
            cases.append(column(type, bits, presence: bits.map { _ in false }))
        }
        return cases
    }

    private func encode(_ column: FieldColumn, compressible: Bool) -> [UInt8] {
        var out = ByteWriter()
        var scratch = ColumnScratch()
        out.appendU8(0xEE)  // blocks need not start at offset 0
        ColumnBlock.encodeField(column, into: &out, scratch: &scratch, compressible: compressible)
        return out.bytes
    }

    private func arrays(_ bytes: [UInt8], _ c: FieldColumn) -> Outcome {
        bytes.withUnsafeBytes { raw in
            var r = ByteReader(raw)
            do {
                _ = try r.readU8()
                return .decoded(try ColumnBlock.decodeField(&r, name: c.name, type: c.type, count: c.bits.count))
            } catch let error as FormatError {
                return .failed(error)
            } catch {
                return .failed(FormatError(offset: -1, "\(error)"))
            }
        }
    }

    private func slots(_ bytes: [UInt8], _ c: FieldColumn) -> Outcome {
        let count = c.bits.count, words = (count + 63) / 64
        var values = [UInt64](repeating: 0xDEAD, count: count + 1)
        var present = [UInt64](repeating: 0xBEEF, count: words + 1)
        return bytes.withUnsafeBytes { raw in
            var r = ByteReader(raw)
            do {
                _ = try r.readU8()
                let presentCount = try values.withUnsafeMutableBufferPointer { v in
                    try present.withUnsafeMutableBufferPointer { p in
                        try ColumnBlock.decodeField(&r, name: c.name, type: c.type, count: count,
                                                    values: v.baseAddress!, present: p.baseAddress!)
                    }
                }
                let bitmap = Bitmap(words: Array(present[0..<words]), count: count)
                #expect(present[0..<words] == bitmap.words[...], "bits past the count are clear")
                #expect(presentCount == bitmap.popCount)
                #expect(values[count] == 0xDEAD && present[words] == 0xBEEF, "nothing written past the slots")
                return .decoded(FieldColumn(name: c.name, type: c.type, bits: Array(values[0..<count]), present: bitmap))
            } catch let error as FormatError {
                return .failed(error)
            } catch {
                return .failed(FormatError(offset: -1, "\(error)"))
            }
        }
    }

    @Test func intactBlocksDecodeAlike() {
        var rng = SeededRandom(seed: 71)
        for c in cases(&rng) {
            for compressible in [false, true] {
                let bytes = encode(c, compressible: compressible)
                #expect(slots(bytes, c) == .decoded(c), "\(c.type) × \(c.bits.count), compressible \(compressible)")
            }
        }
    }

    @Test func damagedBlocksFailAlike() {
        var rng = SeededRandom(seed: 72)
        var compared = 0, failed = 0
        for c in cases(&rng) {
            for compressible in [false, true] {
                let bytes = encode(c, compressible: compressible)
                var damaged: [[UInt8]] = (1..<bytes.count).map { Array(bytes[..<$0]) }.suffix(60)
                for _ in 0..<30 {
                    var corrupt = bytes
                    for _ in 0..<Int.random(in: 1...3, using: &rng) {
                        let at = Int.random(in: 1..<corrupt.count, using: &rng)
                        corrupt[at] ^= UInt8.random(in: 1...255, using: &rng)
                    }
                    damaged.append(corrupt)
                }
                for bytes in damaged {
                    let expected = arrays(bytes, c)
                    #expect(slots(bytes, c) == expected, "\(c.type) × \(c.bits.count)")
                    compared += 1
                    if case .failed = expected { failed += 1 }
                }
            }
        }
        #expect(failed > compared / 2, "most damage is caught (\(failed) of \(compared))")
    }
}
