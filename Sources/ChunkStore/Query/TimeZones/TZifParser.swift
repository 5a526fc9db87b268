/// Reads the TZif format of RFC 8536 (versions 1 to 4) into ``TimeZoneRules``.
///
/// A file is a version-1 header and data block (32-bit times), then for version 2 and later
/// a second header and data block with 64-bit times, then a footer holding a POSIX TZ string
/// between newlines. The 64-bit block and the footer are used when present.
enum TZifParser {
    struct Failure: Error {
        let reason: String
    }

    private struct Header {
        var version: UInt8
        var isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0

        /// Bytes of the data block that follows, with `timeSize`-byte transition times.
        func dataLength(timeSize: Int) -> Int {
            timecnt * timeSize + timecnt + typecnt * 6 + charcnt + leapcnt * (timeSize + 4) + isstdcnt + isutcnt
        }
    }

    static func parse(_ bytes: [UInt8], name: String) throws(Failure) -> TimeZoneRules {
        var position = 0
        let first = try header(bytes, at: &position)
        guard first.version >= 2 else {
            return try block(bytes, at: &position, header: first, timeSize: 4, name: name, footer: nil)
        }
        position += first.dataLength(timeSize: 4)
        let second = try header(bytes, at: &position)
        let dataEnd = position + second.dataLength(timeSize: 8)
        guard dataEnd <= bytes.count else { throw Failure(reason: "truncated data block") }
        let footer = try footerRule(bytes, from: dataEnd)
        return try block(bytes, at: &position, header: second, timeSize: 8, name: name, footer: footer)
    }

    private static func header(_ bytes: [UInt8], at position: inout Int) throws(Failure) -> Header {
        guard position + 44 <= bytes.count else { throw Failure(reason: "truncated header") }
        guard bytes[position ..< position + 4].elementsEqual("TZif".utf8) else {
            throw Failure(reason: "missing the TZif magic")
        }
        let versionByte = bytes[position + 4]
        let version: UInt8 = versionByte == 0 ? 1 : versionByte &- UInt8(ascii: "0")
        guard (1...4).contains(version) else { throw Failure(reason: "unknown version byte \(versionByte)") }
        var h = Header(version: version)
        var p = position + 20
        func count() -> Int { defer { p += 4 }; return Int(bigEndian32(bytes, p)) }
        h.isutcnt = count(); h.isstdcnt = count(); h.leapcnt = count()
        h.timecnt = count(); h.typecnt = count(); h.charcnt = count()
        guard h.typecnt >= 1, h.typecnt <= 256, h.timecnt <= 1 << 20, h.charcnt <= 1 << 16, h.leapcnt <= 1 << 16,
              h.isutcnt <= 256, h.isstdcnt <= 256 else {
            throw Failure(reason: "implausible counts in the header")
        }
        position = p
        return h
    }

    private static func block(_ bytes: [UInt8], at position: inout Int, header h: Header, timeSize: Int,
                              name: String, footer: PosixTimeZoneRule?) throws(Failure) -> TimeZoneRules {
        guard position + h.dataLength(timeSize: timeSize) <= bytes.count else {
            throw Failure(reason: "truncated data block")
        }
        var transitions: [Int64] = []
        transitions.reserveCapacity(h.timecnt)
        for i in 0..<h.timecnt {
            let at = position + i * timeSize
            let t = timeSize == 8 ? Int64(bitPattern: bigEndian64(bytes, at)) : Int64(Int32(bitPattern: bigEndian32(bytes, at)))
            if let last = transitions.last, t <= last { throw Failure(reason: "transition times are not ascending") }
            transitions.append(t)
        }
        let typeIndices = bytes[(position + h.timecnt * timeSize) ..< (position + h.timecnt * (timeSize + 1))]
        let typesStart = position + h.timecnt * (timeSize + 1)
        var typeOffsets: [Int64] = []
        for i in 0..<h.typecnt {
            let utoff = Int32(bitPattern: bigEndian32(bytes, typesStart + i * 6))
            guard utoff != Int32.min, abs(utoff) < 26 * 3600 else { throw Failure(reason: "offset \(utoff) s out of range") }
            typeOffsets.append(Int64(utoff))
        }
        var offsets = [typeOffsets[0]] // RFC 8536 3.2: type 0 holds before the first transition
        for index in typeIndices {
            guard Int(index) < h.typecnt else { throw Failure(reason: "transition names time type \(index) of \(h.typecnt)") }
            offsets.append(typeOffsets[Int(index)])
        }
        position += h.dataLength(timeSize: timeSize)
        return TimeZoneRules(name: name, transitions: transitions, offsets: offsets, futureRule: footer)
    }

    /// The footer's POSIX TZ string (`\nCET-1CEST,M3.5.0,M10.5.0/3\n`), nil when empty.
    private static func footerRule(_ bytes: [UInt8], from start: Int) throws(Failure) -> PosixTimeZoneRule? {
        guard start < bytes.count, bytes[start] == UInt8(ascii: "\n"),
              let end = bytes[(start + 1)...].firstIndex(of: UInt8(ascii: "\n")) else {
            throw Failure(reason: "missing footer")
        }
        guard end > start + 1 else { return nil }
        let text = String(decoding: bytes[(start + 1) ..< end], as: UTF8.self)
        guard let rule = PosixTimeZoneRule(text) else { throw Failure(reason: "unsupported footer rule \"\(text)\"") }
        return rule
    }

    private static func bigEndian32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }

    private static func bigEndian64(_ b: [UInt8], _ i: Int) -> UInt64 {
        UInt64(bigEndian32(b, i)) << 32 | UInt64(bigEndian32(b, i + 4))
    }
}
