import CLZ4

/// Raw LZ4 block compression (no frame, no checksum, no stored length) over the
/// system liblz4. Column blocks record both lengths themselves, so the frame
/// format's header would only cost bytes.
enum LZ4Block {
    /// liblz4's LZ4_MAX_INPUT_SIZE; larger inputs cannot be compressed as one block.
    static let maxInputSize = 0x7E00_0000

    /// Appends the compressed form of `src` to `out`.
    ///
    /// Returns false, leaving `out` unchanged, if liblz4 cannot compress the input
    /// (larger than ``maxInputSize``); callers then store the bytes uncompressed.
    @discardableResult
    static func compress(_ src: UnsafeRawBufferPointer, into out: inout ByteWriter) -> Bool {
        guard src.count <= maxInputSize else { return false }
        let bound = Int(LZ4_compressBound(Int32(src.count)))
        guard bound > 0 else { return false }
        let start = out.count
        out.bytes.append(contentsOf: repeatElement(0, count: bound))
        let dummy: [CChar] = [0]
        let written: Int32 = dummy.withUnsafeBufferPointer { dummyPointer in
            out.bytes.withUnsafeMutableBytes { dst -> Int32 in
                guard let dstBase = dst.baseAddress, let fallback = dummyPointer.baseAddress else { return 0 }
                let source = src.baseAddress.map { $0.assumingMemoryBound(to: CChar.self) } ?? fallback
                let target = (dstBase + start).assumingMemoryBound(to: CChar.self)
                return LZ4_compress_default(source, target, Int32(src.count), Int32(bound))
            }
        }
        guard written > 0 else {
            out.bytes.removeSubrange(start...)
            return false
        }
        out.bytes.removeLast(bound - Int(written))
        return true
    }

    /// Compresses `src` into the first bytes of `buffer` and returns the compressed
    /// length, or nil if liblz4 cannot compress it (see above).
    ///
    /// `buffer` grows to the worst-case size when it is too small but never shrinks, so
    /// a buffer reused across columns is neither reallocated nor cleared each time.
    static func compress(_ src: UnsafeRawBufferPointer, into buffer: inout [UInt8]) -> Int? {
        guard src.count <= maxInputSize else { return nil }
        let bound = Int(LZ4_compressBound(Int32(src.count)))
        guard bound > 0 else { return nil }
        if buffer.count < bound { buffer.append(contentsOf: repeatElement(0, count: bound - buffer.count)) }
        let dummy: CChar = 0
        let written: Int32 = withUnsafePointer(to: dummy) { fallback in
            buffer.withUnsafeMutableBytes { dst -> Int32 in
                guard let target = dst.baseAddress?.assumingMemoryBound(to: CChar.self) else { return 0 }
                let source = src.baseAddress.map { $0.assumingMemoryBound(to: CChar.self) } ?? fallback
                return LZ4_compress_default(source, target, Int32(src.count), Int32(bound))
            }
        }
        return written > 0 ? Int(written) : nil
    }

    /// Replaces the contents of `out` (keeping its capacity) with the decompression
    /// of `src`, which must produce exactly `decodedLength` bytes.
    ///
    /// Uses LZ4_decompress_safe, which never reads or writes out of bounds on
    /// malformed input. Lengths that no LZ4 block of this size could produce are
    /// rejected before anything is allocated. Error offsets are relative to `src`.
    static func decompress(_ src: UnsafeRawBufferPointer, decodedLength: Int, into out: inout [UInt8]) throws {
        guard src.count > 0 else {
            throw FormatError(offset: 0, "LZ4 block is empty")
        }
        guard src.count <= Int(Int32.max) else {
            throw FormatError(offset: 0, "LZ4 block of \(src.count) bytes is too large")
        }
        // Each input byte expands to at most 255 output bytes (a run-length
        // continuation byte); anything claiming more is corrupt.
        guard decodedLength >= 0, decodedLength <= min(src.count * 255 + 64, Int(Int32.max)) else {
            throw FormatError(offset: 0, "LZ4 decoded length \(decodedLength) is impossible for \(src.count) input bytes")
        }
        // Not zero-filled first: liblz4 writes every byte it reports, and any other
        // outcome throws below.
        var produced: Int32 = -1
        out = [UInt8](unsafeUninitializedCapacity: max(decodedLength, 1)) { dst, initialized in
            if let dstBase = dst.baseAddress, let srcBase = src.baseAddress {
                produced = LZ4_decompress_safe(
                    srcBase.assumingMemoryBound(to: CChar.self),
                    UnsafeMutableRawPointer(dstBase).assumingMemoryBound(to: CChar.self),
                    Int32(src.count), Int32(decodedLength))
            }
            initialized = produced >= 0 ? Int(produced) : 0
        }
        guard produced >= 0 else {
            out.removeAll(keepingCapacity: true)
            throw FormatError(offset: 0, "malformed LZ4 block (liblz4 stopped near input byte \(-Int(produced) - 1))")
        }
        guard Int(produced) == decodedLength else {
            out.removeAll(keepingCapacity: true)
            throw FormatError(offset: 0, "LZ4 block decodes to \(produced) bytes, expected \(decodedLength)")
        }
        if decodedLength == 0 { out.removeAll(keepingCapacity: true) }
    }
}
