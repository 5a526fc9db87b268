import Foundation

// Bench: ChunkStore against SQLite on the same data, in the same run. See BENCHMARKS.md.
do {
    let options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
    let run = BenchRun(options: options)
    try run.run()
    let report = run.report
    print("\nmachine: \(report.machineLine())")
    print("peak RSS: \(peakRSS() >> 20) MiB")
    print(report.table())
    if let path = options.jsonPath {
        try report.json().write(to: URL(fileURLWithPath: path))
        print("wrote \(path)")
    }
    print("answers compared: \(report.comparisons), disagreements: \(report.disagreements.count)")
    if !report.disagreements.isEmpty {
        for d in report.disagreements.prefix(20) { print("  \(d)") }
        FileHandle.standardError.write("FAIL: the engines' answers differ\n".data(using: .utf8)!)
        exit(1)
    }
} catch {
    FileHandle.standardError.write("Bench: \(error)\n".data(using: .utf8)!)
    exit(2)
}
