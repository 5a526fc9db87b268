import Foundation
import Testing

/// What one run of the `chunkstore` executable produced.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the built `chunkstore` executable the way a user or script would: a real
/// process, arguments, standard input, environment and working directory.
struct CLI {
    /// A fresh directory for the test, removed by `cleanUp()`.
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("chunkstore-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A path inside the test directory.
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// The executable: `$CHUNKSTORE_BIN`, else `chunkstore` next to the test bundle
    /// (`.build/<triple>/debug/`), else `.build/debug/chunkstore` under the package root.
    static let executable: String? = {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["CHUNKSTORE_BIN"], fm.isExecutableFile(atPath: env) { return env }
        var candidates: [URL] = []
        for start in [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0])] {
            var dir = start.deletingLastPathComponent()
            for _ in 0..<3 {
                candidates.append(dir.appendingPathComponent("chunkstore"))
                dir = dir.deletingLastPathComponent()
            }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/chunkstore"))
        return candidates.first { fm.isExecutableFile(atPath: $0.path) && !$0.hasDirectoryPath }?.path
    }()

    static func requireExecutable() throws -> String {
        guard let path = executable else {
            Issue.record("the chunkstore executable was not found: run `swift build` before `swift test` (or set CHUNKSTORE_BIN)")
            throw MissingExecutable()
        }
        return path
    }

    struct MissingExecutable: Error {}

    /// Runs `chunkstore args` in the test directory with `input` on standard input
    /// (empty when nil). `CHUNKSTORE_DB` is unset unless given in `environment`.
    @discardableResult
    func run(_ args: [String], input: String? = nil, environment: [String: String] = [:],
             stdoutPath: String? = nil) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.requireExecutable())
        process.arguments = args
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["CHUNKSTORE_DB"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env

        let id = UUID().uuidString
        let inPath = path(".stdin-\(id)"), outPath = stdoutPath ?? path(".stdout-\(id)"), errPath = path(".stderr-\(id)")
        _ = FileManager.default.createFile(atPath: inPath, contents: Data((input ?? "").utf8))
        if stdoutPath == nil { _ = FileManager.default.createFile(atPath: outPath, contents: nil) }
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer {
            for p in [inPath, errPath] + (stdoutPath == nil ? [outPath] : []) { try? FileManager.default.removeItem(atPath: p) }
        }
        let stdin = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        let stdout = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let stderr = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        defer { try? stdin.close(); try? stdout.close(); try? stderr.close() }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        process.waitUntilExit()
        let out = stdoutPath == nil ? (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" : ""
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return CLIResult(status: process.terminationStatus, stdout: out, stderr: err)
    }
}

/// Splits CSV output (no quoted line breaks) into rows of cells.
func csvRows(_ text: String) -> [[String]] {
    text.split(separator: "\n").map { line in
        var cells: [String] = [], cell = "", quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { cell.append("\""); chars.removeFirst() } else { quoted = false }
                } else { cell.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { cells.append(cell); cell = "" }
            else { cell.append(c) }
        }
        cells.append(cell)
        return cells
    }
}
