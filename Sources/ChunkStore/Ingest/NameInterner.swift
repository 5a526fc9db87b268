#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns device ids and field names, seen as bytes in an input line, into Strings
/// without allocating for names already seen. Telemetry repeats a handful of names on
/// every line, so a lookup by hash and byte comparison replaces a String build, a UTF-8
/// validation and the rule checks on all but the first occurrence.
///
/// The bytes of every known name live in one arena; an open-addressing table of entry
/// numbers, keyed by an FNV-1a hash of the bytes, finds them. Callers that see names in
/// a repeating order (field 1, 2, 3 of every line) pass a `hint`, the id returned for
/// the same position last time: when its bytes match, no hashing is done at all.
///
/// Memory stays bounded: past `limit` distinct names the cache is simply emptied. Ids
/// are never reused, so an id stays a name's identity even across a reset.
struct NameInterner {
    /// One interned name.
    struct Interned {
        var name: String
        /// Unique per distinct byte sequence for the life of the interner.
        var id: Int
        /// Pure ASCII: equal Strings then mean equal bytes.
        var isASCII: Bool
    }

    private var arena: [UInt8] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var hashes: [UInt64] = []
    private var interned: [Interned] = []
    /// Per entry, for ``lookupID(_:hint:)``'s check of its hint.
    private var keys: [ShortNameKey] = []
    /// Entry index + 1 per slot; 0 is empty. The size is a power of two, at most half full.
    private var slots: [Int32] = []
    /// The id of entry 0: ids continue from here after a reset.
    private var firstID = 0
    private let limit: Int

    init(limit: Int = 65_536) {
        self.limit = limit
        slots = Array(repeating: 0, count: 64)
    }

    /// The String for `bytes`, validated against the naming rules on first sight.
    /// `what` ("device", "field name") and `line` only shape the error.
    mutating func intern(_ bytes: UnsafeRawBufferPointer, what: @autoclosure () -> String, line: Int) throws(IngestError) -> String {
        try lookup(bytes, hint: -1, what: what(), line: line).name
    }

    /// `intern` with the entry's id, trying the entry of id `hint` first.
    mutating func lookup(
        _ bytes: UnsafeRawBufferPointer, hint: Int, what: @autoclosure () -> String, line: Int
    ) throws(IngestError) -> Interned {
        let hinted = hint - firstID
        if hinted >= 0, hinted < interned.count, matches(hinted, bytes) { return interned[hinted] }
        let hash = Self.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let e = Int(slots[slot]) - 1
            if e < 0 { break }
            if hashes[e] == hash, matches(e, bytes) { return interned[e] }
            slot = (slot + 1) & mask
        }
        return try insert(bytes, hash: hash, what: what(), line: line)
    }

    /// `lookup` for the line protocol fast path: the id and whether the name is ASCII,
    /// without copying the entry's String (no retain per name). Nil for a name the naming
    /// rules refuse; the caller then leaves the line to `lookup`, which reports it.
    @inline(__always)
    mutating func lookupID(_ bytes: UnsafeRawBufferPointer, hint: Int) -> (id: Int, isASCII: Bool)? {
        let hinted = hint &- firstID
        if hinted >= 0, hinted < keys.count, let p = bytes.baseAddress, keys[hinted].isShort,
           keys[hinted].matches(p, count: bytes.count) {
            return (hinted &+ firstID, interned[hinted].isASCII)
        }
        return lookupIDSlowly(bytes)
    }

    /// `lookupID` past its hint: the hash table, or a new entry.
    private mutating func lookupIDSlowly(_ bytes: UnsafeRawBufferPointer) -> (id: Int, isASCII: Bool)? {
        guard let entry = try? lookup(bytes, hint: -1, what: "", line: 0) else { return nil }
        return (entry.id, entry.isASCII)
    }

    /// The name of `id`, or nil when the cache was emptied since it was given out.
    func name(of id: Int) -> String? {
        let e = id - firstID
        return e >= 0 && e < interned.count ? interned[e].name : nil
    }

    private mutating func insert(
        _ bytes: UnsafeRawBufferPointer, hash: UInt64, what: @autoclosure () -> String, line: Int
    ) throws(IngestError) -> Interned {
        let name: String
        switch NameRules.validate(bytes) {
        case .success(let valid): name = valid
        case .failure(let problem):
            throw IngestError(line: line, reason: "\(what()) \(NameRules.quoted(bytes)) \(problem.reason)")
        }
        if interned.count >= limit { reset() }
        if (interned.count + 1) * 2 > slots.count { grow() }
        let entry = Interned(name: name, id: firstID + interned.count, isASCII: bytes.allSatisfy { $0 < 0x80 })
        starts.append(arena.count)
        lengths.append(bytes.count)
        arena.append(contentsOf: bytes)
        hashes.append(hash)
        interned.append(entry)
        keys.append(bytes.baseAddress.map { ShortNameKey($0, count: bytes.count) } ?? ShortNameKey())
        place(interned.count - 1)
        return entry
    }

    private func matches(_ e: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard lengths[e] == bytes.count else { return false }
        let start = starts[e]
        return arena.withUnsafeBytes { all in
            Self.equal(UnsafeRawBufferPointer(rebasing: all[start..<start + bytes.count]), bytes)
        }
    }

    private mutating func place(_ e: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hashes[e]) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(e + 1)
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        for e in interned.indices { place(e) }
    }

    private mutating func reset() {
        firstID += interned.count
        arena.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        interned.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = 0 }
    }

    /// `intern` for a slice of a scratch array, so callers need no closure.
    mutating func intern(
        _ array: [UInt8], _ range: Range<Int>, what: @autoclosure () -> String, line: Int
    ) throws(IngestError) -> String {
        try lookup(array, range, hint: -1, what: what(), line: line).name
    }

    /// `lookup` for a slice of a scratch array.
    mutating func lookup(
        _ array: [UInt8], _ range: Range<Int>, hint: Int, what: @autoclosure () -> String, line: Int
    ) throws(IngestError) -> Interned {
        let result = array.withUnsafeBytes { buf in
            Result { () throws(IngestError) -> Interned in
                try lookup(UnsafeRawBufferPointer(rebasing: buf[range]), hint: hint, what: what(), line: line)
            }
        }
        return try result.get()
    }

    /// FNV-1a: cheap, and names are short.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3
        }
        return h
    }

    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return true }
        let n = a.count
        // Names are short: two overlapping loads of 8 or 4 bytes cover 4 to 16 bytes
        // without a call to memcmp.
        switch n {
        case 8...16:
            return pa.loadUnaligned(as: UInt64.self) == pb.loadUnaligned(as: UInt64.self)
                && pa.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == pb.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        case 4..<8:
            return pa.loadUnaligned(as: UInt32.self) == pb.loadUnaligned(as: UInt32.self)
                && pa.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == pb.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        case 0..<4:
            for i in 0..<n where pa.load(fromByteOffset: i, as: UInt8.self) != pb.load(fromByteOffset: i, as: UInt8.self) {
                return false
            }
            return true
        default:
            return memcmp(pa, pb, n) == 0
        }
    }
}
