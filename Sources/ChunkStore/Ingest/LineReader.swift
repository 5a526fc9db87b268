#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines from a file descriptor in large blocks into one reusable buffer, so
/// ingesting a file of any size uses a fixed amount of memory (about `blockSize +
/// maxLineLength`) and no allocation per line.
///
/// Each line comes without its `\n` or `\r\n`; a last line without a newline is still
/// returned. A line longer than `maxLineLength` is skipped up to its newline and
/// reported by throwing an ``IngestError`` for that line; the next call carries on
/// with the following line, so one bad line does not end an ingest.
///
/// Noncopyable because it owns the buffer; the descriptor stays the caller's to close.
package struct LineReader: ~Copyable {
    /// The descriptor being read (0 for standard input).
    package let fd: Int32
    /// The longest line, in bytes without the line ending, that is returned.
    package let maxLineLength: Int

    private let buffer: UnsafeMutableRawBufferPointer
    private let blockSize: Int
    /// Unconsumed bytes are `buffer[start..<end]`.
    private var start = 0
    private var end = 0
    /// Where the newline search resumes, so a long line is not rescanned per read.
    private var scanned = 0
    /// The newline `findNewline` found at or after `scanned`, or -1: kept so that
    /// ``hasBufferedLine()`` followed by ``next()`` searches once, not twice.
    private var knownNewline = -1
    private var eof = false
    private var lineNumber = 0

    /// Creates a reader of `fd` that reads `blockSize` bytes at a time.
    package init(fd: Int32, blockSize: Int = 1 << 20, maxLineLength: Int = 1 << 20) {
        self.fd = fd
        self.blockSize = max(blockSize, 1)
        self.maxLineLength = max(maxLineLength, 1)
        buffer = .allocate(byteCount: self.blockSize + self.maxLineLength + 2, alignment: 16)
    }

    deinit {
        buffer.deallocate()
    }

    /// The next line and its 1-based number, or nil at the end of input. The bytes are
    /// valid only until the next call. Throws for an over-long line (then call again to
    /// continue) or a failed read.
    package mutating func next() throws(IngestError) -> (UnsafeRawBufferPointer, Int)? {
        while true {
            if let newline = findNewline() {
                let line = lineBytes(start..<newline)
                start = newline + 1
                scanned = start
                knownNewline = -1
                lineNumber += 1
                if line.count > maxLineLength { throw tooLong() }
                return (line, lineNumber)
            }
            if end - start > maxLineLength + 1 {
                try skipToNextLine()
                throw tooLong()
            }
            if eof {
                guard start < end else { return nil }
                let line = lineBytes(start..<end)
                start = end
                scanned = end
                knownNewline = -1
                lineNumber += 1
                if line.count > maxLineLength { throw tooLong() }
                return (line, lineNumber)
            }
            try fill()
        }
    }

    /// Whether ``next()`` can return without reading the descriptor: a whole line is
    /// buffered, or the input has ended. Lets a caller skip asking the descriptor
    /// (a system call) while lines are at hand.
    package mutating func hasBufferedLine() -> Bool {
        eof || findNewline() != nil
    }

    private func tooLong() -> IngestError {
        IngestError(line: lineNumber, reason: "line is longer than \(maxLineLength) bytes; skipped")
    }

    /// The line in `range`, without a trailing carriage return.
    private func lineBytes(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        var upper = range.upperBound
        if upper > range.lowerBound && buffer[upper - 1] == UInt8(ascii: "\r") { upper -= 1 }
        return UnsafeRawBufferPointer(rebasing: buffer[range.lowerBound..<upper])
    }

    private mutating func findNewline() -> Int? {
        if knownNewline >= 0 { return knownNewline }
        guard scanned < end, let base = buffer.baseAddress else { return nil }
        if let hit = memchr(base + scanned, Int32(UInt8(ascii: "\n")), end - scanned) {
            knownNewline = base.distance(to: hit)
            return knownNewline
        }
        scanned = end
        knownNewline = -1
        return nil
    }

    /// Moves the unconsumed bytes to the front and reads one more block after them.
    private mutating func fill() throws(IngestError) {
        if start > 0 {
            let pending = end - start
            if pending > 0, let base = buffer.baseAddress {
                memmove(base, base + start, pending)
            }
            scanned -= start
            knownNewline = -1
            end = pending
            start = 0
        }
        let room = min(blockSize, buffer.count - end)
        let got = try readSome(into: end, count: room)
        if got == 0 { eof = true } else { end += got }
    }

    /// Discards the current over-long line through its newline (or the end of input).
    private mutating func skipToNextLine() throws(IngestError) {
        lineNumber += 1
        start = 0
        end = 0
        scanned = 0
        knownNewline = -1
        while !eof {
            let got = try readSome(into: 0, count: blockSize)
            if got == 0 { eof = true; break }
            end = got
            if let newline = findNewline() {
                start = newline + 1
                scanned = start
                knownNewline = -1
                return
            }
            end = 0
            scanned = 0
            knownNewline = -1
        }
    }

    private mutating func readSome(into offset: Int, count: Int) throws(IngestError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        while true {
            let n = read(fd, base + offset, count)
            if n >= 0 { return n }
            let code = errno
            if code == EINTR { continue }
            throw IngestError(line: lineNumber + 1, reason: "read failed: \(String(cString: strerror(code)))")
        }
    }
}
