/// Buffers a chunk encoder keeps between columns and chunks, so that steady-state
/// encoding allocates nothing: the payload being built, the present values of a column
/// with missing slots, decimal mantissas, and LZ4 output.
struct ColumnScratch {
    var payload = ByteWriter()
    var values: [UInt64] = []
    var mantissas: [Int64] = []
    var compressed: [UInt8] = []
}

/// The writing half of ``ColumnBlock``.
extension ColumnBlock {
    /// Payloads shorter than this are never worth an LZ4 attempt.
    static let minimumCompressible = 16
    /// Payloads longer than this are first probed: LZ4 runs over their first
    /// `probeLength` bytes, and over the whole payload only if that prefix got shorter.
    /// Bit-packed timestamps and float mantissas are noise to LZ4 (it never or barely
    /// pays on them), and the probe costs a small fraction of a full attempt.
    static let probeLength = 1024

    /// Appends an encoded timestamp column (count known to the caller).
    /// With `compressible` false, no LZ4 attempt is made (a rollup's blocks of a dozen
    /// values: the attempt costs more than it could save).
    static func encodeTimestamps(_ ts: [Int64], into out: inout ByteWriter, scratch: inout ColumnScratch,
                                 compressible: Bool = true) {
        scratch.payload.reset()
        TimestampCodec.encode(ts, into: &scratch.payload)
        appendBlock(codec: .timestampDeltaOfDelta, scratch: &scratch, into: &out, compressible: compressible)
    }

    /// Appends an encoded field column: presence (a flag byte: 0 = all present,
    /// 1 = bitmap of `count` bits follows) then only the present values, codec
    /// chosen per type (floats: decimal if it applies else XOR).
    static func encodeField(_ column: FieldColumn, into out: inout ByteWriter, scratch: inout ColumnScratch,
                            compressible: Bool = true) {
        scratch.payload.reset()
        let count = column.bits.count
        // Tolerate a presence map of the wrong length: slots it does not cover are missing.
        let covered = min(count, column.present.count)
        let presentCount = column.present.count == count
            ? column.present.popCount
            : (0..<covered).reduce(0) { $0 + (column.present[$1] ? 1 : 0) }
        let allPresent = presentCount == count
        if allPresent {
            scratch.payload.appendU8(0)
        } else {
            scratch.payload.appendU8(1)
            if column.present.count == count {
                BoolCodec.encode(column.present, into: &scratch.payload)
            } else {
                var presence = Bitmap(count: count, value: false)
                for i in 0..<covered where column.present[i] { presence[i] = true }
                BoolCodec.encode(presence, into: &scratch.payload)
            }
            gatherPresent(column, covered: covered, into: &scratch.values)
        }
        let codec: ColumnCodecID = withValues(column, allPresent: allPresent, scratch: &scratch) { values, scratch in
            switch column.type {
            case .float:
                return FloatCodec.encode(bits: values, into: &scratch.payload, mantissas: &scratch.mantissas)
            case .int, .uint:
                IntegerCodec.encode(bits: values, into: &scratch.payload)
                return .integerDelta
            case .bool:
                BoolCodec.encode(bits: values, into: &scratch.payload)
                return .boolBitmap
            }
        }
        appendBlock(codec: codec, scratch: &scratch, into: &out, compressible: compressible)
    }

    /// The present values of `column` (slots below `covered` only), in row order, into `values`.
    private static func gatherPresent(_ column: FieldColumn, covered: Int, into values: inout [UInt64]) {
        values.removeAll(keepingCapacity: true)
        column.bits.withUnsafeBufferPointer { bits in
            column.present.words.withUnsafeBufferPointer { words in
                for w in 0..<((covered + 63) >> 6) {
                    var word = words[w]
                    let base = w << 6
                    if covered - base < 64 { word &= (1 &<< UInt64(covered - base)) &- 1 }
                    while word != 0 {
                        values.append(bits[base + word.trailingZeroBitCount])
                        word &= word &- 1
                    }
                }
            }
        }
    }

    /// Runs `body` on the values to encode: the column's own payloads when all are
    /// present (no copy), else the gathered ones in `scratch.values`.
    private static func withValues(_ column: FieldColumn, allPresent: Bool, scratch: inout ColumnScratch,
                                   _ body: (UnsafeBufferPointer<UInt64>, inout ColumnScratch) -> ColumnCodecID) -> ColumnCodecID {
        if allPresent {
            return column.bits.withUnsafeBufferPointer { body($0, &scratch) }
        }
        let values = scratch.values
        return values.withUnsafeBufferPointer { body($0, &scratch) }
    }

    /// Whether a full LZ4 attempt on `scratch.payload` is worth making: always for
    /// payloads up to twice the probe, else only if the probe's prefix compressed.
    private static func probeCompresses(_ scratch: inout ColumnScratch) -> Bool {
        guard scratch.payload.count > 2 * probeLength else { return true }
        let probe = scratch.payload.bytes.withUnsafeBytes {
            LZ4Block.compress(UnsafeRawBufferPointer(rebasing: $0[0..<probeLength]), into: &scratch.compressed)
        }
        return probe.map { $0 < probeLength } ?? false
    }

    /// Writes the block header and `scratch.payload`, LZ4-compressed if that is smaller
    /// (and, for long payloads, if the probe above says it may be).
    private static func appendBlock(codec: ColumnCodecID, scratch: inout ColumnScratch, into out: inout ByteWriter,
                                    compressible: Bool) {
        let payloadCount = scratch.payload.count
        out.appendU8(codec.rawValue)
        if compressible && payloadCount >= minimumCompressible && probeCompresses(&scratch) {
            let compressedCount = scratch.payload.bytes.withUnsafeBytes {
                LZ4Block.compress($0, into: &scratch.compressed)
            }
            if let compressedCount, compressedCount < payloadCount {
                out.appendU8(ColumnCompression.lz4.rawValue)
                out.appendUVarint(UInt64(payloadCount))
                out.appendUVarint(UInt64(compressedCount))
                scratch.compressed.withUnsafeBytes { out.append(UnsafeRawBufferPointer(rebasing: $0[0..<compressedCount])) }
                return
            }
        }
        out.appendU8(ColumnCompression.none.rawValue)
        out.appendUVarint(UInt64(payloadCount))
        out.appendUVarint(UInt64(payloadCount))
        out.append(scratch.payload.bytes)
    }
}
