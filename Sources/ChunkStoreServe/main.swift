// `chunkstore-server`: the process `chunkstore serve` execs after checking its options.
//
// The server lives in its own executable so that SwiftNIO and Hummingbird are not linked
// into `chunkstore`: every protocol conformance linked into a binary lengthens the Swift
// runtime's conformance scans, which every command pays at start (`chunkstore --version`
// took 4.5 ms of CPU without the server and 7.3 ms with it). Its arguments are
// `chunkstore serve`'s, already checked and resolved; the token comes in
// $CHUNKSTORE_TOKEN, never in the argument list that `ps` shows.
import ChunkStore
import ChunkStoreCLICore
import ChunkStoreServer
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--db PATH --host H --port N --sync always|interval|none [--max-body BYTES]
/// [--read-timeout NANOSECONDS] [--tls-cert PATH --tls-key PATH]`, as `chunkstore serve`
/// passes them.
struct ServeArguments {
    var values: [String: String] = [:]

    init(_ arguments: [String]) throws {
        let known: Set = ["--db", "--host", "--port", "--max-body", "--read-timeout", "--sync", "--tls-cert", "--tls-key"]
        var i = 0
        while i < arguments.count {
            guard known.contains(arguments[i]), i + 1 < arguments.count else {
                throw CLIError(.usage, "chunkstore-server is started by 'chunkstore serve' (see 'chunkstore serve --help'); "
                               + "unexpected argument \"\(arguments[i])\"")
            }
            values[arguments[i]] = arguments[i + 1]
            i += 2
        }
        for required in ["--db", "--host", "--port", "--sync"] where values[required] == nil {
            throw CLIError(.usage, "chunkstore-server is started by 'chunkstore serve'; \(required) is missing")
        }
    }

    var sync: SyncPolicy {
        switch values["--sync"] {
        case "always": .always
        case "none": .none
        default: .default
        }
    }

    /// `--read-timeout` in nanoseconds, else the default.
    var readTimeout: Duration {
        guard let ns = Int64(values["--read-timeout"] ?? ""), ns > 0 else { return ServeConfiguration.defaultReadTimeout }
        return .nanoseconds(ns)
    }
}

/// Opens the store, serves until SIGTERM or SIGINT, then closes the store.
func serve(_ arguments: ServeArguments) throws {
    let path = arguments.values["--db"] ?? ""
    var token: String?
    if let env = getenv("CHUNKSTORE_TOKEN"), env.pointee != 0 { token = String(cString: env) }
    var options = StoreOptions()
    options.sync = arguments.sync
    let store = try Store.open(at: path, options: options)
    let configuration = ServeConfiguration(
        storePath: path, host: arguments.values["--host"] ?? "127.0.0.1", port: Int(arguments.values["--port"] ?? "") ?? 8086,
        token: token, maxBodyBytes: Int(arguments.values["--max-body"] ?? "") ?? ServeConfiguration.defaultMaxBodyBytes,
        version: chunkstoreVersion, tlsCertificatePath: arguments.values["--tls-cert"], tlsKeyPath: arguments.values["--tls-key"],
        readTimeout: arguments.readTimeout)
    let server: ChunkStoreHTTPServer
    do {
        server = try ChunkStoreHTTPServer(store: store, configuration: configuration)
    } catch {
        try? store.close()
        throw CLIError(.noInput, error.description)
    }
    let auth = token == nil ? "no token" : "token required"
    let scheme = configuration.tlsCertificatePath == nil ? "http" : "https"
    let outcome = runBlocking {
        try await server.run { host, port in
            printError("chunkstore serve: listening on \(scheme)://\(host):\(port) (store \(path), \(auth))")
        }
    }
    // Requests have drained: seal and fsync every row acknowledged, release the lock.
    do { try store.close() } catch {
        throw CLIError(error.sysexit, "closing \(path): \(error)")
    }
    if case .failure(let error) = outcome {
        throw CLIError(.ioError, "serve: \(error)")
    }
    printError("chunkstore serve: stopped; the store is flushed and closed")
}

/// Runs `body` on Swift concurrency's pool and waits for it on this thread, which is not
/// one of the pool's.
func runBlocking(_ body: @escaping @Sendable () async throws -> Void) -> Result<Void, any Error> {
    final class Box: @unchecked Sendable { var result: Result<Void, any Error> = .success(()) }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { try await body() } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return box.result
}

do {
    try serve(try ServeArguments(Array(CommandLine.arguments.dropFirst())))
    exitProcess(Sysexit.ok.rawValue)
} catch let error as CLIError {
    printError("chunkstore: " + error.message)
    exitProcess(error.code.rawValue)
} catch let error as StoreError {
    printError("chunkstore: \(error)")
    exitProcess(error.sysexit.rawValue)
} catch {
    printError("chunkstore: \(error)")
    exitProcess(Sysexit.ioError.rawValue)
}
