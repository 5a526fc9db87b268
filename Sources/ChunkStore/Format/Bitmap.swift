/// A fixed-length sequence of bits, packed little-endian into 64-bit words
/// (bit i lives in word i / 64 at position i % 64). Used for presence of values
/// and for boolean columns.
struct Bitmap: Hashable, Sendable {
    private(set) var words: [UInt64]
    private(set) var count: Int

    /// `count` bits, all set to `value`.
    init(count: Int, value: Bool) {
        self.count = count
        let wordCount = (count + 63) >> 6
        words = Array(repeating: value ? ~0 : 0, count: wordCount)
        if value { clearTail() }
    }

    init(_ bools: [Bool]) {
        self.init(count: bools.count, value: false)
        for (i, b) in bools.enumerated() where b { self[i] = true }
    }

    /// Wraps words whose bits past `count` are ignored (and cleared).
    init(words: [UInt64], count: Int) {
        self.words = words
        self.count = count
        clearTail()
    }

    subscript(index: Int) -> Bool {
        get { (words[index >> 6] >> UInt64(index & 63)) & 1 == 1 }
        set {
            let mask: UInt64 = 1 << UInt64(index & 63)
            if newValue { words[index >> 6] |= mask } else { words[index >> 6] &= ~mask }
        }
    }

    /// One bit at the end. Written out rather than through the subscript: the ingest hot
    /// path appends a presence bit per value, and a new word starts already holding it.
    @inline(__always)
    mutating func append(_ bit: Bool) {
        let i = count
        let mask: UInt64 = 1 << UInt64(i & 63)
        if i & 63 == 0 {
            words.append(bit ? 1 : 0)
        } else if bit {
            words[i >> 6] |= mask
        } else {
            words[i >> 6] &= ~mask
        }
        count = i + 1
    }

    /// Appends `count` copies of `bit`, a word at a time.
    mutating func append(repeating bit: Bool, count n: Int) {
        guard n > 0 else { return }
        let newCount = count + n
        words.reserveCapacity((newCount + 63) >> 6)
        var i = count
        // Finish the partial word bit by bit, then whole words.
        while i < newCount && i & 63 != 0 {
            if i & 63 == 0 { words.append(0) }
            let mask: UInt64 = 1 << UInt64(i & 63)
            if bit { words[i >> 6] |= mask }
            i += 1
        }
        while newCount - i >= 64 {
            words.append(bit ? ~0 : 0)
            i += 64
        }
        if i < newCount {
            let rem = newCount - i
            words.append(bit ? (1 << UInt64(rem)) - 1 : 0)
        }
        count = newCount
    }

    /// Appends every bit of `other`; whole words are shifted in rather than copied bit by bit.
    mutating func append(contentsOf other: Bitmap) {
        guard other.count > 0 else { return }
        let shift = count & 63
        if shift == 0 {
            words.append(contentsOf: other.words)
            count += other.count
            return
        }
        let newCount = count + other.count
        words.reserveCapacity((newCount + 63) >> 6)
        for word in other.words {
            words[words.count - 1] |= word << UInt64(shift)
            words.append(word >> UInt64(64 - shift))
        }
        count = newCount
        words.removeLast(words.count - ((newCount + 63) >> 6))
    }

    /// Bits `range` of `other` as a bitmap of their own, a word at a time (a chunk cut
    /// from a day's buffer copies its presence this way rather than bit by bit).
    init(_ other: Bitmap, range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= other.count, "bit range out of bounds")
        let n = range.count
        var out = [UInt64](repeating: 0, count: (n + 63) >> 6)
        let first = range.lowerBound >> 6, shift = UInt64(range.lowerBound & 63)
        other.words.withUnsafeBufferPointer { src in
            for j in out.indices {
                var word = src[first + j] >> shift
                if shift != 0, first + j + 1 < src.count { word |= src[first + j + 1] << (64 - shift) }
                out[j] = word
            }
        }
        self.init(words: out, count: n)
    }

    /// Number of set bits.
    var popCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    var allSet: Bool { popCount == count }

    /// Sets every bit in `range` (within `0..<count`), a word at a time.
    mutating func setAll(in range: Range<Int>) {
        _ = Self.forEachWord(of: range) { w, mask in words[w] |= mask; return true }
    }

    /// Whether every bit in `range` (within `0..<count`) is set, a word at a time.
    func allSet(in range: Range<Int>) -> Bool {
        Self.forEachWord(of: range) { w, mask in words[w] & mask == mask }
    }

    /// Calls `body` with each word `range` touches and the mask of its bits in `range`,
    /// until `body` returns false; returns whether it never did.
    @inline(__always)
    private static func forEachWord(of range: Range<Int>, _ body: (Int, UInt64) -> Bool) -> Bool {
        guard !range.isEmpty else { return true }
        let firstWord = range.lowerBound >> 6, lastWord = (range.upperBound - 1) >> 6
        for w in firstWord...lastWord {
            var mask: UInt64 = ~0
            if w == firstWord { mask &= ~0 << UInt64(range.lowerBound & 63) }
            if w == lastWord, range.upperBound & 63 != 0 { mask &= (1 << UInt64(range.upperBound & 63)) - 1 }
            if !body(w, mask) { return false }
        }
        return true
    }

    private mutating func clearTail() {
        let rem = count & 63
        if rem != 0, !words.isEmpty { words[words.count - 1] &= (1 << UInt64(rem)) - 1 }
    }
}
