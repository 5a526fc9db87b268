/// Finding the first of a few stop bytes in line bytes, eight bytes at a time: the
/// scanning step of the line protocol parsers.
enum ByteScan {
    /// The index of the first byte in `p[start..<end]` that is `a`, `b`, `c` or `d`, else
    /// `end`. A byte equal to a target is a zero byte of the word XORed with that target,
    /// and the usual zero-byte test finds the lowest one exactly (a borrow can only set
    /// flags above a true zero byte, never below it).
    @inline(__always)
    static func find(_ p: UnsafeRawPointer, from start: Int, to end: Int,
                     _ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> Int {
        var i = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let (ma, mb, mc, md) = (ones &* UInt64(a), ones &* UInt64(b), ones &* UInt64(c), ones &* UInt64(d))
        while i + 8 <= end {
            let w = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let xa = w ^ ma, xb = w ^ mb, xc = w ^ mc, xd = w ^ md
            let hits = (((xa &- ones) & ~xa) | ((xb &- ones) & ~xb) | ((xc &- ones) & ~xc) | ((xd &- ones) & ~xd)) & highs
            if hits != 0 { return i + hits.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < end {
            let x = p.load(fromByteOffset: i, as: UInt8.self)
            if x == a || x == b || x == c || x == d { return i }
            i += 1
        }
        return end
    }
}
