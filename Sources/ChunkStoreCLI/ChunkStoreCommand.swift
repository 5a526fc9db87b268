import ArgumentParser
import ChunkStore
import ChunkStoreCLICore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct ChunkStoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chunkstore",
        abstract: "Store and query device telemetry in an embedded, append-only ChunkStore.",
        discussion: """
            The store is a directory: --db PATH, else $CHUNKSTORE_DB, else
            ./chunkstore-data. Only 'ingest' creates it; the other commands read it
            without locking it, so they work while an ingest is running.

            EXAMPLES
              chunkstore ingest < readings.lp
              chunkstore query --device meter-001 --from now-1h
              chunkstore query --all-devices --agg 1h --fn mean,max --field power_w
              chunkstore last --output json
              chunkstore verify

            \(Sysexit.table)
            """,
        version: chunkstoreVersion,
        subcommands: [Ingest.self, Query.self, Export.self, Last.self, Devices.self, Info.self, Verify.self, Repair.self, Compact.self, Drop.self, Retain.self, Rules.self,
                      Alerts.self, Summary.self, Serve.self, CrashWriter.self]
    )

    /// Parses and runs like ArgumentParser's own `main()`, but with sysexits codes:
    /// every usage error (including ArgumentParser's own) exits 64, store errors exit
    /// with their code, and each failure is one `chunkstore: ...` line on stderr.
    static func main() {
        // `query` and `last` in their plain shapes skip ArgumentParser's start-up cost.
        if let fast = FastArguments(Array(CommandLine.arguments.dropFirst())) {
            runAndExit { try fast.run() }
        }
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }  // --help, --version
            printError("chunkstore: " + message(for: error))
            printError("Run 'chunkstore help' or 'chunkstore <command> --help' for usage.")
            _exit(Sysexit.usage.rawValue)
        }
        runAndExit { try command.run() }
    }

    /// Runs a parsed command, then exits with its sysexits code (0 when it succeeded).
    private static func runAndExit(_ body: () throws -> Void) -> Never {
        do {
            try body()
            try StandardStream.output.finish()
            exitFlushed(.ok)
        } catch let error as CLIError {
            StandardStream.output.flush()
            printError("chunkstore: " + error.message)
            exitFlushed(error.code)
        } catch let error as StoreError {
            StandardStream.output.flush()
            printError("chunkstore: \(error)")
            exitFlushed(error.sysexit)
        } catch let error as ExitCode {
            StandardStream.output.flush()
            exitFlushed(Sysexit(rawValue: error.rawValue) ?? .ioError, raw: error.rawValue)
        } catch {
            StandardStream.output.flush()
            // `--help` and `help SUB` parse into a command whose run() throws a clean exit.
            if exitCode(for: error) == .success { exit(withError: error) }
            printError("chunkstore: " + message(for: error))
            exitFlushed(.usage)
        }
    }

    private static func exitFlushed(_ code: Sysexit, raw: Int32? = nil) -> Never {
        StandardStream.output.flush()
        StandardStream.error.flush()
        exitProcess(raw ?? code.rawValue)
    }
}
