#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The UTC offsets of one time zone over time, from the system's tz database, so that
/// downsampling can bucket days, weeks and months in local time (23- and 25-hour days
/// included) without depending on the host's `TZ` or on Foundation.
///
/// Offsets come from a TZif file (RFC 8536): its transitions, and for instants after the
/// last one, the POSIX TZ rule in its footer. Leap-second records are ignored, as Unix
/// time ignores them.
public struct TimeZoneRules: Sendable, Hashable, CustomStringConvertible {
    /// The zone's name as given (`Europe/Paris`), or `UTC`.
    public let name: String
    /// Transition instants in UTC seconds, ascending.
    let transitions: [Int64]
    /// `offsets[i]` (seconds east of UTC) holds from `transitions[i - 1]` (or forever before,
    /// for `i == 0`) until `transitions[i]`; one more entry than `transitions`.
    let offsets: [Int64]
    /// The rule for instants after the last transition, when the file has one.
    let futureRule: PosixTimeZoneRule?

    /// Coordinated Universal Time: offset zero forever.
    public static let utc = TimeZoneRules(name: "UTC", transitions: [], offsets: [0], futureRule: nil)

    init(name: String, transitions: [Int64], offsets: [Int64], futureRule: PosixTimeZoneRule?) {
        self.name = name
        self.transitions = transitions
        self.offsets = offsets
        self.futureRule = futureRule
    }

    /// Loads `name` (for example `Europe/Paris`) from the tz database in `$TZDIR`, else
    /// `/usr/share/zoneinfo` (Debian's `tzdata` package). `UTC` and `Z` need no file.
    public init(named name: String) throws(StoreError) {
        if name == "UTC" || name == "Z" || name == "Etc/UTC" { self = .utc; return }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard !name.isEmpty, !name.hasPrefix("/"),
              parts.allSatisfy({ !$0.isEmpty && $0 != ".." && $0 != "." }) else {
            throw .invalidArgument("time zone \"\(name)\": expected a tz database name such as Europe/Paris")
        }
        let directory = getenv("TZDIR").map { String(cString: $0) } ?? "/usr/share/zoneinfo"
        let bytes: [UInt8]
        do {
            bytes = try PosixFileSystem().readAll(directory + "/" + name)
        } catch {
            throw .invalidArgument("time zone \"\(name)\": no such zone in \(directory) (is the tzdata package installed?)")
        }
        try self.init(name: name, tzif: bytes)
    }

    /// Parses the bytes of a TZif file (versions 1 to 4).
    public init(name: String, tzif bytes: [UInt8]) throws(StoreError) {
        do {
            self = try TZifParser.parse(bytes, name: name)
        } catch {
            throw .invalidArgument("time zone \"\(name)\": not a valid TZif file: \(error.reason)")
        }
    }

    public var description: String { name }

    /// Seconds east of UTC in force at `utcSeconds`.
    func offset(atUTCSeconds t: Int64) -> Int64 {
        // Binary search for the number of transitions at or before t.
        var low = 0, high = transitions.count
        while low < high {
            let mid = (low + high) / 2
            if transitions[mid] <= t { low = mid + 1 } else { high = mid }
        }
        if low == transitions.count, let rule = futureRule { return rule.offset(atUTCSeconds: t) }
        return offsets[low]
    }

    /// Nanoseconds east of UTC in force at the instant `ns`.
    func offsetNanos(at ns: Int64) -> Int64 {
        offset(atUTCSeconds: CivilTime.floorDiv(ns, 1_000_000_000)) * 1_000_000_000
    }

    /// The local wall-clock reading of the instant `ns`, as nanoseconds since the local epoch.
    func localNanos(at ns: Int64) -> Int64 {
        CivilTime.saturatingAdd(ns, offsetNanos(at: ns))
    }

    /// The first instant whose local wall clock reads at least `local` on the same local day:
    /// the earlier instant when the reading happens twice (clocks turned back), and the
    /// instant of the transition when the reading is skipped (clocks turned forward).
    /// Zones change offset at most once in any 48 hours, which the search relies on.
    func firstInstant(atLocalNanos local: Int64) -> Int64 {
        let day = CivilTime.nanosPerDay
        let before = offsetNanos(at: CivilTime.saturatingAdd(local, -day))
        let after = offsetNanos(at: CivilTime.saturatingAdd(local, day))
        let early = CivilTime.saturatingAdd(local, -before)
        let late = CivilTime.saturatingAdd(local, -after)
        let earlyHolds = offsetNanos(at: early) == before
        let lateHolds = offsetNanos(at: late) == after
        switch (earlyHolds, lateHolds) {
        case (true, true): return min(early, late)
        case (true, false): return early
        case (false, true): return late
        case (false, false):
            // A gap: the reading never occurs. The day resumes at the transition, which lies
            // between the two candidates; find its first second by bisection.
            var low = CivilTime.floorDiv(min(early, late), 1_000_000_000)
            var high = CivilTime.floorDiv(max(early, late), 1_000_000_000) + 1
            let newOffset = after / 1_000_000_000
            while low < high {
                let mid = low + (high - low) / 2
                if offset(atUTCSeconds: mid) == newOffset { high = mid } else { low = mid + 1 }
            }
            return CivilTime.saturatingMultiply(low, 1_000_000_000)
        }
    }
}
