import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct CLILargeInputTests {
    /// Pipes ~180 MB of line protocol through `chunkstore ingest` and checks that the
    /// process never holds more than a fraction of it: ingest streams.
    @Test func largePipedInputKeepsMemoryBounded() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let lineCount = 600_000
        // Sanitizer builds keep freed memory in quarantine: scripts/sanitize.sh raises the bound.
        let limitKB = (Int(ProcessInfo.processInfo.environment["CHUNKSTORE_TEST_RSS_LIMIT_MB"] ?? "") ?? 128) * 1024

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try CLI.requireExecutable())
        process.arguments = ["ingest", "--db", cli.path("db"), "--sync", "none"]
        process.currentDirectoryURL = cli.directory
        let input = Pipe()
        process.standardInput = input
        let errPath = cli.path("stderr.txt")
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let stderr = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardError = stderr
        try process.run()

        // The site tag is dropped by ingest; it makes each line ~300 bytes of input.
        let padding = String(repeating: "x", count: 220)
        let writer = input.fileHandleForWriting
        let done = DispatchSemaphore(value: 0)
        let fed = Counter()
        DispatchQueue.global().async {
            var chunk = ""
            chunk.reserveCapacity(1 << 21)
            for i in 0..<lineCount {
                let ts = (t0 + Int64(i / 20) * 5) * 1_000_000_000
                chunk += "meter,device=m\(i % 20),site=\(padding) power_w=\(i % 5000).25,volt=\(220 + i % 20)i,on=t \(ts)\n"
                if chunk.utf8.count >= 1 << 20 {
                    writer.write(Data(chunk.utf8))
                    fed.add(chunk.utf8.count)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            writer.write(Data(chunk.utf8))
            fed.add(chunk.utf8.count)
            try? writer.close()
            done.signal()
        }

        // Poll the peak resident set while the input is fed.
        var peakKB = 0
        let status = "/proc/\(process.processIdentifier)/status"
        while process.isRunning {
            if let text = try? String(contentsOfFile: status, encoding: .utf8),
               let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
               let kb = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") {
                peakKB = max(peakKB, kb)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        done.wait()
        process.waitUntilExit()
        try stderr.close()
        // The largest child's peak, as the kernel accounted it at exit (an upper bound for
        // this child, since every other child of the test process is small).
        var usage = rusage()
        if getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage) == 0 { peakKB = max(peakKB, Int(usage.ru_maxrss)) }

        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "\(err)")
        #expect(err.contains("ingested \(lineCount) rows, \(3 * lineCount) points, 0 rejected lines"), "\(err)")
        #expect(fed.value > 170_000_000, "the input must be larger than the memory bound")
        #expect(peakKB > 0)
        #expect(peakKB < limitKB, "peak RSS \(peakKB) kB for \(fed.value / 1_000_000) MB of input")

        let count = try cli.run(["query", "--db", "db", "--device", "m7", "--agg", "1d", "--fn", "count", "--field", "power_w"])
        let perDay = csvRows(count.stdout).dropFirst().compactMap { Int($0.last ?? "") }
        #expect(perDay.reduce(0, +) == lineCount / 20)
    }
}

/// A byte counter shared with the feeding thread.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    func add(_ n: Int) { lock.lock(); total += n; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return total }
}
