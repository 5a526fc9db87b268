/// Signed 64-bit integer columns: delta coding, zigzag, then ``PackedBlocks``.
///
/// Counters and slowly moving gauges have small deltas, which zigzag maps to small
/// unsigned numbers that pack into few bits. Arithmetic wraps (mod 2^64), so any
/// sequence round-trips, extremes included.
///
/// Layout for `n` values (n is known to the caller and not stored):
/// - n == 0: nothing.
/// - otherwise `first <zigzag uvarint>` then the `n - 1` values
///   `zigzag(v[i] &- v[i-1])` as ``PackedBlocks``.
enum IntegerCodec {
    static func encode(bits values: UnsafeBufferPointer<UInt64>, into out: inout ByteWriter) {
        guard let first = values.first else { return }
        out.appendZigZagVarint(Int64(bitPattern: first))
        guard values.count > 1 else { return }
        let n = values.count
        let deltas = [UInt64](unsafeUninitializedCapacity: n - 1) { buffer, initialized in
            for i in 1..<n {
                buffer[i - 1] = ZigZag.encode(Int64(bitPattern: values[i] &- values[i - 1]))
            }
            initialized = n - 1
        }
        PackedBlocks.encode(deltas, into: &out)
    }

    /// Values given as 64-bit payloads (two's complement bit patterns).
    static func encode(bits values: [UInt64], into out: inout ByteWriter) {
        values.withUnsafeBufferPointer { encode(bits: $0, into: &out) }
    }

    static func encode(_ values: [Int64], into out: inout ByteWriter) {
        values.withUnsafeBufferPointer { signed in
            signed.withMemoryRebound(to: UInt64.self) { encode(bits: $0, into: &out) }
        }
    }

    /// Appends `count` payloads to `out`.
    static func decode(_ reader: inout ByteReader, count: Int, into out: inout [UInt64]) throws {
        guard count > 0 else {
            guard count == 0 else { throw FormatError(offset: reader.offset, "negative value count \(count)") }
            return
        }
        try PackedBlocks.checkCount(count - 1, reader)
        try out.appendUninitialized(count: count) { try decode(&reader, count: count, into: $0) }
    }

    /// Writes `count` (at least 1) values to `out`, which has room for them.
    /// Returns the bitwise OR of the values' magnitudes (as Int64), so a caller that
    /// bounds them checks all at once without another pass.
    @discardableResult
    static func decode(_ reader: inout ByteReader, count: Int, into out: UnsafeMutablePointer<UInt64>) throws -> UInt64 {
        let first = UInt64(bitPattern: try reader.readZigZagVarint())
        out[0] = first
        var magnitudes = Int64(bitPattern: first).magnitude
        guard count > 1 else { return magnitudes }
        try PackedBlocks.decode(&reader, count: count - 1, into: out + 1)
        // Turn the zigzagged deltas into running values, in place.
        var previous = first
        for i in 1..<count {
            previous = previous &+ UInt64(bitPattern: ZigZag.decode(out[i]))
            out[i] = previous
            magnitudes |= Int64(bitPattern: previous).magnitude
        }
        return magnitudes
    }

    /// Appends `count` values to `out`.
    static func decode(_ reader: inout ByteReader, count: Int, into out: inout [Int64]) throws {
        var bits: [UInt64] = []
        try decode(&reader, count: count, into: &bits)
        out.reserveCapacity(out.count + bits.count)
        for b in bits { out.append(Int64(bitPattern: b)) }
    }
}
