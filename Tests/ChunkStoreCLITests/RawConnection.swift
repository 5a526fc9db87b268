import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP connection to a loopback port driven byte by byte, for what well-behaved HTTP
/// clients never send: slow or half-sent requests, garbage, hang-ups.
final class RawConnection {
    let fd: Int32

    struct Failure: Error { var reason: String }

    /// Connects to 127.0.0.1:`port`.
    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(reason: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            Glibc.close(fd)
            throw Failure(reason: "connect: \(errno)")
        }
    }

    private var open = true

    deinit { close() }

    /// Hangs up (once).
    func close() {
        if open { Glibc.close(fd) }
        open = false
    }

    /// Sends every byte; false when the server has closed the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return false }
            sent += n
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Everything the server sends until it closes the connection, waiting at most
    /// `limit` seconds (a bound against hanging, not a timing assertion); `closed` is
    /// false when the limit came first.
    func readUntilClosed(limit seconds: Int = 120) -> (text: String, closed: Bool) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                received.append(contentsOf: buffer[0..<n])
                continue
            }
            // 0: orderly close; ECONNRESET: closed with data unread; EAGAIN: the limit.
            let closed = n == 0 || errno == ECONNRESET
            return (String(decoding: received, as: UTF8.self), closed)
        }
    }

    /// Whether the server has closed the connection, without waiting: a read that would
    /// block means it is still open.
    var isClosedByServer: Bool {
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT | MSG_PEEK))
        if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return false }
        return true
    }

    /// The status code of the first response in `text`, if any.
    static func status(of text: String) -> Int? {
        guard text.hasPrefix("HTTP/1.1 ") else { return nil }
        return Int(text.dropFirst(9).prefix(3))
    }
}
