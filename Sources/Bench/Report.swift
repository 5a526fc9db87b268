import Foundation

/// One reported number, for ChunkStore and (where it applies) SQLite.
struct Figure {
    var workload: String
    var metric: String
    var unit: String
    var chunkstore: Double
    var sqlite: Double?
    /// True for throughputs and ratios, false for latencies and sizes.
    var higherIsBetter: Bool
    /// The issue's target, and whether this run met it.
    var target: String? = nil
    var met: Bool? = nil

    /// ChunkStore ÷ SQLite.
    var ratio: Double? { sqlite.flatMap { $0 == 0 ? nil : chunkstore / $0 } }
    /// How many times better ChunkStore is (throughput ratio, or inverse latency ratio).
    var advantage: Double? { ratio.map { higherIsBetter ? $0 : ($0 == 0 ? .infinity : 1 / $0) } }
}

/// The host, for the report.
struct Machine {
    var cores: Int
    var memoryBytes: Int
    var cpu: String
    var os: String

    static func current() -> Machine {
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let kb = meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal:") }
            .flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let cpu = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown"
        var u = utsname()
        uname(&u)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return Machine(cores: ProcessInfo.processInfo.activeProcessorCount, memoryBytes: kb * 1024, cpu: cpu,
                       os: "\(field(u.sysname)) \(field(u.release)) \(field(u.machine))")
    }
}

/// Peak resident set size of this process (VmHWM), in bytes.
func peakRSS() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let kb = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? 0
    return kb * 1024
}

struct Report {
    var figures: [Figure] = []
    var notes: [String] = []
    var comparisons = 0
    var disagreements: [String] = []
    var parameters: [String: Any] = [:]
    var extra: [String: Any] = [:]
    let machine = Machine.current()

    mutating func add(_ figure: Figure) {
        figures.append(figure)
        say("  \(figure.workload) \(figure.metric): ChunkStore \(Report.format(figure.chunkstore)) \(figure.unit)"
              + (figure.sqlite.map { ", SQLite \(Report.format($0)) \(figure.unit)" } ?? ""))
    }

    static func format(_ x: Double) -> String {
        if x.isNaN || x.isInfinite { return "\(x)" }
        let a = abs(x)
        if a >= 1e9 { return String(format: "%.2fG", x / 1e9) }
        if a >= 1e6 { return String(format: "%.2fM", x / 1e6) }
        if a >= 1e4 { return String(format: "%.1fk", x / 1e3) }
        if a >= 100 { return String(format: "%.0f", x) }
        if a >= 10 { return String(format: "%.1f", x) }
        if a >= 0.1 { return String(format: "%.2f", x) }
        return String(format: "%.3g", x)
    }

    /// A Markdown table (readable in a terminal too).
    func table() -> String {
        var rows: [[String]] = [["workload", "metric", "ChunkStore", "SQLite", "CS/SQLite", "CS advantage", "target"]]
        for f in figures {
            rows.append([
                f.workload, "\(f.metric) (\(f.unit))", Report.format(f.chunkstore),
                f.sqlite.map(Report.format) ?? "–",
                f.ratio.map { String(format: "%.3g", $0) } ?? "–",
                f.advantage.map { String(format: "%.1f×", $0) } ?? "–",
                f.target.map { "\($0) \(f.met == true ? "✓" : "✗")" } ?? "",
            ])
        }
        var widths = Array(repeating: 0, count: rows[0].count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ row: [String]) -> String {
            "| " + row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: " | ") + " |"
        }
        var out = [line(rows[0]), "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"]
        out += rows.dropFirst().map(line)
        return out.joined(separator: "\n")
    }

    func machineLine() -> String {
        "\(machine.cpu), \(machine.cores) cores, \(String(format: "%.1f", Double(machine.memoryBytes) / 1_073_741_824)) GiB RAM, \(machine.os)"
    }

    func json() throws -> Data {
        let object: [String: Any] = [
            "parameters": parameters,
            "machine": ["cores": machine.cores, "memoryBytes": machine.memoryBytes, "cpu": machine.cpu, "os": machine.os],
            "figures": figures.map { f -> [String: Any] in
                var d: [String: Any] = ["workload": f.workload, "metric": f.metric, "unit": f.unit, "chunkstore": f.chunkstore,
                                        "higherIsBetter": f.higherIsBetter]
                if let s = f.sqlite { d["sqlite"] = s }
                if let r = f.ratio { d["ratioChunkStoreToSQLite"] = r }
                if let a = f.advantage { d["chunkstoreAdvantage"] = a }
                if let t = f.target { d["target"] = t; d["targetMet"] = f.met ?? false }
                return d
            },
            "answers": ["compared": comparisons, "disagreements": disagreements],
            "extra": extra,
            "notes": notes,
            "peakRSSBytes": peakRSS(),
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }
}

/// Prints a progress line and flushes, so a log file follows the run as it happens.
func say(_ line: String) {
    print(line)
    fflush(nil)
}
