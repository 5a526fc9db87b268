import ArgumentParser
import ChunkStore
import ChunkStoreCLICore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check, install or try out an alert rules file.",
        discussion: """
            A rules file is JSON: {"rules": [RULE, ...]}. Each RULE has "name", "severity"
            (info, warning, critical), optionally "devices" (a glob, default "*"), and
            either "field" with "above" or "below" a number and an optional "for"
            duration, or "stale" with a duration. See README "Rules, alerts and the fleet
            summary".

            EXAMPLES
              chunkstore rules check rules.json
              chunkstore rules set rules.json
              chunkstore rules test rules.json --from 2026-01-01 --to 2026-01-02

            \(Sysexit.table)
            """,
        subcommands: [Check.self, Set.self, Test.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a rules file; errors name the rule and field.")
        @Argument(help: "The rules file.") var file: String
        func run() throws {
            let set = try loadRules(file)
            StandardStream.output.write("\(file): \(set.rules.count) rule(s) OK\n")
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a rules file and store it with the store (rules.json); writers load it when they open.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The rules file.") var file: String
        func run() throws {
            let bytes = try readWholeFile(file)
            do {
                let set = try Store.setRules(bytes, store: database.path)
                StandardStream.output.write("stored \(set.rules.count) rule(s) in \(database.path)/rules.json\n")
            } catch let error as RulesError {
                throw CLIError(.dataError, "\(file): \(error)")
            }
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay stored rows through a rules file and print the alerts it would have raised.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The rules file.") var file: String
        @Option(help: ArgumentHelp("Start time, inclusive.", valueName: "T")) var from: String?
        @Option(help: ArgumentHelp("End time, exclusive.", valueName: "T")) var to: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let set = try loadRules(file)
            let store = try database.openReader()
            defer { try? store.close() }
            let events = try store.replayRules(set, from: try parseTime(from, "--from"), to: try parseTime(to, "--to"))
            try writeAlerts(events, output)
        }
    }
}

/// Reads and checks a rules file, turning problems into exit 65 (or 66 when unreadable).
func loadRules(_ file: String) throws -> RuleSet {
    let bytes = try readWholeFile(file)
    do { return try RuleSet.parse(bytes) } catch { throw CLIError(.dataError, "\(file): \(error)") }
}

func readWholeFile(_ file: String) throws -> [UInt8] {
    let fd = open(file, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw CLIError(.noInput, "cannot open \(file): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw CLIError(.ioError, "cannot read \(file): \(String(cString: strerror(errno)))")
        }
        if n == 0 { return bytes }
        bytes += chunk[0..<n]
    }
}

/// Prints alert events as rows: time, rule, device, state, severity, value.
func writeAlerts(_ events: [AlertEvent], _ output: OutputOptions) throws {
    try Listings.alerts(events, format: output.format, epoch: output.epoch)
}
