import Foundation

/// Command-line options. Hand-rolled so the bench needs no argument-parsing dependency.
struct BenchOptions {
    static let allWorkloads = ["append", "lp-ingest", "seal", "q-range", "q-downsample", "q-fleet", "q-year", "q-last", "open", "export"]
    /// Issue 14's workloads: they generate their own 10,000-device data (not in the default set).
    static let fleetWorkloads = ["fleet-rules", "fleet-summary"]
    /// Issue 10's workloads: a fragmented store and a live feed, on their own data (not in the default set).
    static let liveWorkloads = ["live-compaction", "live-freshness", "live-concurrency"]

    var workloads: [String] = BenchOptions.allWorkloads
    var generator = GeneratorParameters()
    var quick = false
    var input: String?
    var jsonPath: String?
    /// Per process, so that two runs at once (CI and a developer) never share stores.
    var workDirectory = "/tmp/chunkstore-bench-\(getpid())"
    /// Measured runs of each throughput workload (after one warm-up run).
    var runs = 3
    /// Timed repetitions of each query.
    var queryIterations = 200
    /// Devices in the store that `q-last` queries (a separate, short store).
    var fleetDevices = 10_000
    /// Records per drained batch / SQLite transaction in `lp-ingest`.
    var lpWindow = 100_000
    var keepFiles = false
    /// Run the SQLite side of a query workload (and compare answers) on every Nth
    /// iteration only: for profiling ChunkStore's side without waiting for SQLite.
    var sqliteEvery = 1
    /// Give each timed q-downsample and q-fleet query a freshly opened reader (opened
    /// before the timer starts), so that every query is the first to touch its chunks.
    var firstQueries = false
    /// Write the generated data's line protocol to this file and stop (for timing
    /// `chunkstore ingest` itself on the same data).
    var lineProtocolOut: String?

    static let usage = """
        usage: Bench [options]
          --workloads LIST   comma-separated, from: \(allWorkloads.joined(separator: ",")),scale,
                             fleet-rules,fleet-summary,live-compaction,live-freshness,
                             live-concurrency
                             (default: all but scale, fleet-* and live-*)
          --quick            small data, fewer runs: a smoke test (under a minute)
          --scale-check      only the 10,000-device × 2-day ingest check (same as --workloads scale)
          --devices N        meters to generate (default 50; quick 10)
          --days N           days of readings (default 7; quick 2)
          --interval S       seconds between readings (default 5)
          --late F           fraction of readings arriving late (default 0.001)
          --seed N           generator seed (default 42)
          --fleet-devices N  devices in the q-last store (default 10000; quick 1000)
          --input PATH       use a line-protocol file instead of generated data
          --runs N           measured runs per throughput workload (default 3)
          --iterations N     timed repetitions per query (default 200; quick 50)
          --dir PATH         scratch directory (default /tmp/chunkstore-bench-PID)
          --json PATH        also write every figure as JSON
          --keep             keep the stores in the scratch directory
          --sqlite-every N   query SQLite (and compare) on every Nth query iteration only (default 1)
          --first-queries    q-downsample and q-fleet: a fresh reader for every query (opened
                             untimed), so each query is the first to read its chunks
          --write-lp FILE    write the generated data as line protocol to FILE and stop
        """

    static func parse(_ arguments: [String]) throws -> BenchOptions {
        var o = BenchOptions()
        var explicit = Set<String>()
        var i = 0
        func value(_ name: String) throws -> String {
            i += 1
            guard i < arguments.count else { throw BenchError("\(name) needs a value\n\(usage)") }
            return arguments[i]
        }
        func number<T: LosslessStringConvertible>(_ name: String, _: T.Type) throws -> T {
            let text = try value(name)
            guard let n = T(text) else { throw BenchError("\(name): not a number: \(text)") }
            return n
        }
        while i < arguments.count {
            let arg = arguments[i]
            explicit.insert(arg)
            switch arg {
            case "--workloads":
                o.workloads = try value(arg).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                for w in o.workloads where !allWorkloads.contains(w) && w != "scale" && !fleetWorkloads.contains(w) && !liveWorkloads.contains(w) {
                    throw BenchError("unknown workload \(w)\n\(usage)")
                }
            case "--quick": o.quick = true
            case "--scale-check": o.workloads = ["scale"]
            case "--devices": o.generator.devices = try number(arg, Int.self)
            case "--days": o.generator.days = try number(arg, Int.self)
            case "--interval": o.generator.intervalSeconds = try number(arg, Double.self)
            case "--late": o.generator.lateFraction = try number(arg, Double.self)
            case "--seed": o.generator.seed = try number(arg, UInt64.self)
            case "--fleet-devices": o.fleetDevices = try number(arg, Int.self)
            case "--input": o.input = try value(arg)
            case "--runs": o.runs = try number(arg, Int.self)
            case "--iterations": o.queryIterations = try number(arg, Int.self)
            case "--dir": o.workDirectory = try value(arg)
            case "--json": o.jsonPath = try value(arg)
            case "--keep": o.keepFiles = true
            case "--sqlite-every": o.sqliteEvery = max(1, try number(arg, Int.self))
            case "--write-lp": o.lineProtocolOut = try value(arg)
            case "--first-queries": o.firstQueries = true
            case "-h", "--help": throw BenchError(usage)
            default: throw BenchError("unknown option \(arg)\n\(usage)")
            }
            i += 1
        }
        if o.quick {
            if !explicit.contains("--devices") { o.generator.devices = 10 }
            if !explicit.contains("--days") { o.generator.days = 2 }
            if !explicit.contains("--fleet-devices") { o.fleetDevices = 1_000 }
            if !explicit.contains("--iterations") { o.queryIterations = 50 }
        }
        guard o.generator.devices > 0, o.generator.days > 0, o.generator.intervalSeconds >= 0.001,
              o.runs > 0, o.queryIterations > 0, o.fleetDevices > 0 else {
            throw BenchError("devices, days, runs, iterations and fleet devices must be positive, the interval at least 1 ms")
        }
        return o
    }
}
