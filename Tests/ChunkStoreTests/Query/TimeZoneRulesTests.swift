import Foundation
import Testing
@testable import ChunkStore

/// Offsets read from real TZif files (shipped in Fixtures/zoneinfo), the POSIX footer rules
/// past their last transition, and rejection of damaged files.
@Suite struct TimeZoneRulesTests {
    static func zone(_ file: String, name: String) throws -> TimeZoneRules {
        let url = try #require(Bundle.module.url(forResource: file, withExtension: nil, subdirectory: "Fixtures/zoneinfo"))
        return try TimeZoneRules(name: name, tzif: [UInt8](Data(contentsOf: url)))
    }

    /// UTC seconds of a civil time.
    static func utc(_ y: Int64, _ m: Int, _ d: Int, _ h: Int64 = 0, _ min: Int64 = 0, _ s: Int64 = 0) -> Int64 {
        CivilTime.days(fromCivil: y, month: m, day: d) * 86_400 + h * 3600 + min * 60 + s
    }

    @Test func parisSwitchesAtOneUTCOnTheLastSundays() throws {
        let paris = try Self.zone("Europe-Paris", name: "Europe/Paris")
        #expect(paris.offset(atUTCSeconds: Self.utc(2026, 1, 15)) == 3600)
        #expect(paris.offset(atUTCSeconds: Self.utc(2026, 7, 1)) == 7200)
        #expect(paris.offset(atUTCSeconds: Self.utc(2026, 3, 29, 0, 59, 59)) == 3600)
        #expect(paris.offset(atUTCSeconds: Self.utc(2026, 3, 29, 1)) == 7200)
        #expect(paris.offset(atUTCSeconds: Self.utc(2026, 10, 25, 0, 59, 59)) == 7200)
        #expect(paris.offset(atUTCSeconds: Self.utc(2026, 10, 25, 1)) == 3600)
    }

    /// The transitions in the file end in 2037; later instants come from the footer rule.
    @Test func footerRulesGovernAfterTheLastTransition() throws {
        let paris = try Self.zone("Europe-Paris", name: "Europe/Paris")
        #expect(paris.transitions.last.map { $0 < Self.utc(2040, 1, 1) } == true)
        // Last Sunday of March 2040 is the 25th, of October the 28th.
        #expect(paris.offset(atUTCSeconds: Self.utc(2040, 3, 25, 0, 59, 59)) == 3600)
        #expect(paris.offset(atUTCSeconds: Self.utc(2040, 3, 25, 1)) == 7200)
        #expect(paris.offset(atUTCSeconds: Self.utc(2040, 10, 28, 0, 59, 59)) == 7200)
        #expect(paris.offset(atUTCSeconds: Self.utc(2040, 10, 28, 1)) == 3600)
        // Southern hemisphere: daylight time spans the new year.
        let sydney = try Self.zone("Australia-Sydney", name: "Australia/Sydney")
        #expect(sydney.offset(atUTCSeconds: Self.utc(2045, 1, 15)) == 11 * 3600)
        #expect(sydney.offset(atUTCSeconds: Self.utc(2045, 6, 15)) == 10 * 3600)
        #expect(sydney.offset(atUTCSeconds: Self.utc(2045, 12, 31)) == 11 * 3600)
        let kolkata = try Self.zone("Asia-Kolkata", name: "Asia/Kolkata")
        #expect(kolkata.offset(atUTCSeconds: Self.utc(2050, 6, 1)) == 19_800)
    }

    @Test func posixRulesParseAsTheFootersWriteThem() throws {
        let paris = try #require(PosixTimeZoneRule("CET-1CEST,M3.5.0,M10.5.0/3"))
        #expect(paris.standardOffset == 3600)
        #expect(paris.daylight?.offset == 7200)
        #expect(paris.daylight?.start == .monthWeekDay(month: 3, week: 5, weekday: 0))
        #expect(paris.daylight?.startTime == 7200)
        #expect(paris.daylight?.endTime == 10_800)
        let quoted = try #require(PosixTimeZoneRule("<-03>3"))
        #expect(quoted.standardOffset == -10_800 && quoted.daylight == nil)
        let newYork = try #require(PosixTimeZoneRule("EST5EDT,M3.2.0,M11.1.0"))
        #expect(newYork.offset(atUTCSeconds: Self.utc(2050, 7, 4)) == -4 * 3600)
        #expect(newYork.offset(atUTCSeconds: Self.utc(2050, 1, 4)) == -5 * 3600)
        // RFC 8536's extension: transition hours beyond 24 (Israel's "Friday before the last Sunday").
        let israel = try #require(PosixTimeZoneRule("IST-2IDT,M3.4.4/26,M10.5.0"))
        let israelStart = israel.daylight?.startTime
        #expect(israelStart == Int64(93_600))
        let julian = try #require(PosixTimeZoneRule("XXX3YYY,J60/2,300"))
        #expect(julian.daylight?.start == .julian(60))
        for bad in ["", "C", "CET", "CET-1CEST,M3.5.0", "CET-1CEST,M13.5.0,M10.5.0", "CET-1CEST,M3.6.0,M10.5.0",
                    "CET-1CEST,M3.5.7,M10.5.0", "CET-999", "<+03", "CET-1CEST,M3.5.0,M10.5.0/3x", "CET-1 "] {
            #expect(PosixTimeZoneRule(bad) == nil, "\(bad)")
        }
    }

    @Test func damagedFilesAreRejectedWithTheirName() throws {
        let url = try #require(Bundle.module.url(forResource: "Europe-Paris", withExtension: nil, subdirectory: "Fixtures/zoneinfo"))
        let bytes = [UInt8](try Data(contentsOf: url))
        #expect(throws: StoreError.self) { try TimeZoneRules(name: "X", tzif: []) }
        #expect(throws: StoreError.self) { try TimeZoneRules(name: "X", tzif: Array("TZjf".utf8) + bytes.dropFirst(4)) }
        do {
            _ = try TimeZoneRules(name: "Broken/Zone", tzif: Array(bytes.prefix(100)))
            Issue.record("a truncated file parsed")
        } catch {
            #expect("\(error)".contains("Broken/Zone"))
        }
        // Every truncation and many single-byte corruptions either parse or throw; none traps.
        for length in stride(from: 0, to: bytes.count, by: 7) {
            _ = try? TimeZoneRules(name: "X", tzif: Array(bytes.prefix(length)))
        }
        var rng = SeededRandom(seed: 0x7A1F)
        for _ in 0..<2000 {
            var copy = bytes
            copy[Int.random(in: 0..<copy.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            if let zone = try? TimeZoneRules(name: "X", tzif: copy) {
                _ = zone.offset(atUTCSeconds: Int64.random(in: -1 << 40 ... 1 << 40, using: &rng))
            }
        }
    }

    @Test func namesAreCheckedBeforeAnyFileIsRead() {
        for bad in ["", "/etc/passwd", "../../etc/passwd", "Europe/../../x", "Europe//Paris"] {
            #expect(throws: StoreError.self, "\(bad)") { try TimeZoneRules(named: bad) }
        }
        #expect((try? TimeZoneRules(named: "UTC")) == .utc)
    }
}
