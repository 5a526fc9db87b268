import CLZ4

/// CRC-32C (Castagnoli), the checksum guarding chunk and file records.
///
/// Castagnoli rather than the zlib polynomial because it detects more error
/// patterns at the lengths we checksum and processors compute it in hardware: on x86-64
/// with SSE4.2 the `crc32` instruction does the work (about ten times faster); elsewhere a
/// portable slicing-by-8 implementation: eight 256-entry tables (built once, lazily, as a
/// static) let it consume eight bytes per step.
///
/// Conventions: reflected polynomial 0x82F63B78, register initialised to all ones
/// and complemented at the end, so `checksum("123456789") == 0xE3069283`.
/// `seed` is a previous result, so checksums can be chained:
/// `checksum(b, seed: checksum(a)) == checksum(a + b)`.
enum CRC32C {
    static let polynomial: UInt32 = 0x82F6_3B78

    /// Tables t0...t7 stored back to back: entry `k * 256 + i`.
    private static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var crc = UInt32(i)
            for _ in 0..<8 {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ polynomial : crc >> 1
            }
            t[i] = crc
        }
        for k in 1..<8 {
            for i in 0..<256 {
                let previous = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()

    static let hardware = chunkstore_crc32c_hardware() != 0
    /// Whether long buffers can run as three interleaved `crc32` streams, recombined with
    /// carry-less multiplication (PCLMULQDQ): reading a chunk is otherwise bound by the
    /// instruction's three-cycle latency.
    static let interleaved = chunkstore_crc32c_clmul() != 0

    static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        if hardware, let base = bytes.baseAddress {
            let p = base.assumingMemoryBound(to: UInt8.self)
            if interleaved && bytes.count >= 768 { return ~chunkstore_crc32c_update3(~seed, p, bytes.count) }
            return ~chunkstore_crc32c_update(~seed, p, bytes.count)
        }
        return software(bytes, seed: seed)
    }

    /// The table-driven path, also what tests compare the hardware path against.
    static func software(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        var crc = ~seed
        let count = bytes.count
        var i = 0
        tables.withUnsafeBufferPointer { t in
            while i + 8 <= count {
                let lo = bytes.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian ^ crc
                let hi = bytes.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self).littleEndian
                crc = t[7 * 256 + Int(lo & 0xFF)]
                    ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)]
                    ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)]
                    ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((hi >> 16) & 0xFF)]
                    ^ t[Int(hi >> 24)]
                i += 8
            }
            while i < count {
                crc = (crc >> 8) ^ t[Int((crc ^ UInt32(bytes[i])) & 0xFF)]
                i += 1
            }
        }
        return ~crc
    }

    static func checksum(_ bytes: [UInt8], seed: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, seed: seed) }
    }
}
