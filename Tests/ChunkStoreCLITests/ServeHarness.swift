import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A `chunkstore serve` process on a free loopback port, for tests that need the real
/// server: signals, a second process on the same store, the CLI beside it.
final class ServeProcess {
    let process = Process()
    let port: Int
    private let errorPath: String

    /// Starts `chunkstore serve --db db --port 0 extra...` and waits for its listening line.
    init(cli: CLI, db: String, extra: [String] = [], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: try CLI.requireExecutable())
        process.arguments = ["serve", "--db", db, "--port", "0"] + extra
        var env = ProcessInfo.processInfo.environment
        env["CHUNKSTORE_DB"] = nil
        env["CHUNKSTORE_TOKEN"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let errorPath = cli.path(".serve-stderr-\(UUID().uuidString)")
        self.errorPath = errorPath
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        func stderr() -> String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Readiness, not timing: wait (up to a minute, for a loaded machine) for the line
        // naming the port.
        var found: Int?
        for _ in 0..<1200 where found == nil {
            let text = stderr()
            if let range = text.range(of: "listening on http://127.0.0.1:") {
                found = Int(text[range.upperBound...].prefix { $0.isNumber })
            } else if !process.isRunning {
                break
            } else {
                usleep(50_000)
            }
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            Issue.record("serve did not start: \(stderr())")
            throw ServeDidNotStart()
        }
        port = found
    }

    struct ServeDidNotStart: Error {}

    /// What the server wrote to stderr so far.
    var stderr: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Sends `signal` and waits for the exit status.
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: errorPath)
    }

    /// Sends a POST that declares `declared` body bytes but carries only `body`, then
    /// hangs up: a client that disconnects mid-body.
    func abandonedPost(_ path: String, declared: Int, body: [UInt8]) throws {
        let fd = try connected()
        defer { close(fd) }
        let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(declared)\r\n\r\n"
        try sendAll(fd, Array(head.utf8) + body)
    }

    private func connected() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPFailure(reason: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw HTTPFailure(reason: "connect: \(errno)")
        }
        return fd
    }

    private func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw HTTPFailure(reason: "send: \(errno)") }
            sent += n
        }
    }

    /// One HTTP/1.1 request on a new connection; the status and body of the answer.
    func request(_ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8] = []) throws -> (status: Int, body: String) {
        let fd = try connected()
        defer { close(fd) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try sendAll(fd, Array((head + "\r\n").utf8) + body)
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response.append(contentsOf: buffer[0..<n])
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n"), let status = Int(text.split(separator: " ").dropFirst().first ?? "") else {
            throw HTTPFailure(reason: "no HTTP response: \(text)")
        }
        let headerText = text[..<split.lowerBound].lowercased()
        var payload = String(text[split.upperBound...])
        if headerText.contains("transfer-encoding: chunked") { payload = Self.dechunk(payload) }
        return (status, payload)
    }

    struct HTTPFailure: Error { var reason: String }

    private static func dechunk(_ text: String) -> String {
        var rest = Substring(text)
        var out = ""
        while let lineEnd = rest.range(of: "\r\n"), let size = Int(rest[..<lineEnd.lowerBound], radix: 16), size > 0 {
            let start = lineEnd.upperBound
            let bytes = Array(rest[start...].utf8)
            out += String(decoding: bytes.prefix(size), as: UTF8.self)
            rest = Substring(String(decoding: bytes.dropFirst(size + 2), as: UTF8.self))
        }
        return out
    }
}
