/// A name of up to 16 bytes as two machine words plus its length, compared with the
/// bytes of a line without a call or a loop: the interner's check of its hint, which
/// succeeds for nearly every name of every line.
///
/// The words are loads from the name's own bytes: the first and last 8 bytes (they
/// overlap below 16), the first and last 4 below 8, and below 4 the first, middle and
/// last byte. Together with the length they determine every byte, so equal keys mean
/// equal names. Longer names get no key (`isShort` false) and are compared in full.
struct ShortNameKey: Equatable {
    var length: Int
    var low: UInt64
    var high: UInt64

    var isShort: Bool { length <= 16 }

    /// The key of the empty name.
    init() {
        length = 0
        low = 0
        high = 0
    }

    @inline(__always)
    init(_ p: UnsafeRawPointer, count n: Int) {
        length = n
        switch n {
        case 8...16:
            low = p.loadUnaligned(as: UInt64.self)
            high = p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        case 4..<8:
            low = UInt64(p.loadUnaligned(as: UInt32.self))
            high = UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
        case 1..<4:
            low = UInt64(p.load(as: UInt8.self)) | UInt64(p.load(fromByteOffset: n >> 1, as: UInt8.self)) << 8
                | UInt64(p.load(fromByteOffset: n - 1, as: UInt8.self)) << 16
            high = 0
        default:
            low = 0
            high = 0
        }
    }

    /// Whether `p[0..<n]` is the name of this key (only meaningful when `isShort`).
    @inline(__always)
    func matches(_ p: UnsafeRawPointer, count n: Int) -> Bool {
        n == length && ShortNameKey(p, count: n) == self
    }
}
