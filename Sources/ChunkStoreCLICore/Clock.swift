#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ChunkStore

/// The current time in nanoseconds since the Unix epoch.
package func nowNanoseconds() -> Int64 { WallClock.nanoseconds() }

/// Monotonic seconds, for elapsed times.
package func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
