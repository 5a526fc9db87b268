import ChunkStore
import ChunkStoreCLICore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The plain shapes of `chunkstore query` and `chunkstore last`, parsed without
/// ArgumentParser: its reflection of the option wrappers (`Mirror`, protocol-conformance
/// scans, type-name demangling) cost these commands more than their whole query
/// (BENCHMARKS.md, "The cold CLI").
///
/// Only what is unambiguous is taken here: `--name value` and `--name=value` of the
/// commands' own long options, each single-valued option at most once, values that do not
/// look like options (except `--from`/`--to`, which ArgumentParser also takes
/// unconditionally), a known `--output` and `--epoch`, and options that pass the same
/// checks the commands run. Anything else (help, version, short or unknown options, a
/// bad value, a usage error) returns nil, and ArgumentParser parses the arguments and
/// words any error exactly as before. `CHUNKSTORE_ARGUMENT_PARSER=1` forces that path
/// (tests compare the two).
struct FastArguments {
    /// What to run, with its checked options.
    enum Command {
        case query(QueryRequest.Plan)
        case last(devices: [String])
    }

    var command: Command
    var storePath: String
    var format: OutputFormat
    var epoch: EpochUnit?

    /// Parses `arguments` (without the program name), or nil when ArgumentParser must.
    /// (Plain variables and switches, not dictionaries: each generic type a process uses
    /// for the first time costs it a scan of the binary's conformance records.)
    init?(_ arguments: [String]) {
        if let forced = getenv("CHUNKSTORE_ARGUMENT_PARSER"), forced.pointee != 0 { return nil }
        guard let name = arguments.first, name == "query" || name == "last" else { return nil }
        let isQuery = name == "query"
        var db, from, to, agg, fn, tz, output, epochText: String?
        var devices: [String] = [], fieldLists: [String] = []
        var allDevices = false
        var i = 1
        while i < arguments.count {
            let argument = arguments[i]
            i += 1
            guard argument.hasPrefix("--"), argument.utf8.count > 2 else { return nil }
            var option = String(argument.dropFirst(2))
            var inline: String?
            if let equals = option.firstIndex(of: "=") {
                inline = String(option[option.index(after: equals)...])
                option = String(option[..<equals])
            }
            if option == "all-devices" {
                guard isQuery, inline == nil, !allDevices else { return nil }
                allDevices = true
                continue
            }
            let known = ["db", "device", "output", "epoch"].contains(option)
                || (isQuery && ["from", "to", "field", "agg", "fn", "tz"].contains(option))
            guard known else { return nil }
            let value: String
            if let inline {
                value = inline
            } else {
                guard i < arguments.count else { return nil }
                value = arguments[i]
                i += 1
                // ArgumentParser takes any next word for --from/--to only.
                if option != "from", option != "to", value.hasPrefix("-") { return nil }
            }
            guard !value.isEmpty else { return nil }
            func once(_ slot: inout String?) -> Bool {
                guard slot == nil else { return false }
                slot = value
                return true
            }
            let accepted: Bool
            switch option {
            case "device": devices.append(value); accepted = true
            case "field": fieldLists.append(value); accepted = true
            case "db": accepted = once(&db)
            case "output": accepted = once(&output)
            case "epoch": accepted = once(&epochText)
            case "from": accepted = once(&from)
            case "to": accepted = once(&to)
            case "agg": accepted = once(&agg)
            case "fn": accepted = once(&fn)
            default: accepted = once(&tz)
            }
            guard accepted else { return nil }
        }
        var format = OutputFormat.automatic
        if let output {
            guard let known = OutputFormat(rawValue: output) else { return nil }
            format = known
        }
        if let epochText {
            guard let known = EpochUnit(rawValue: epochText) else { return nil }
            epoch = known
        }
        self.format = format
        storePath = DatabaseOptions.path(db: db)
        guard isQuery else {
            command = .last(devices: devices)
            return
        }
        let request = QueryRequest(devices: devices, allDevices: allDevices, from: from, to: to, fieldLists: fieldLists,
                                   agg: agg, fn: fn, tz: tz)
        guard let plan = try? request.validated() else { return nil }
        command = .query(plan)
    }

    /// Runs the command, as the ArgumentParser-parsed command's `run()` does.
    func run() throws {
        let store = try DatabaseOptions.openReader(path: storePath)
        defer { try? store.close() }
        switch command {
        case .query(let plan):
            try plan.run(store: store, storePath: storePath, format: format, epoch: epoch)
        case .last(let devices):
            try Listings.latest(store: store, storePath: storePath, devices: devices, format: format, epoch: epoch)
        }
    }
}
