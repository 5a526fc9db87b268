#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import ChunkStore

@Suite struct IngestLineReaderTests {
    /// Writes `chunks` to a fresh temp file and returns a read-only descriptor for it.
    func tempFile(_ chunks: [[UInt8]]) throws -> Int32 {
        var template = Array("/tmp/linereader-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        try #require(fd >= 0)
        unlink(template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        for chunk in chunks {
            var offset = 0
            while offset < chunk.count {
                let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress! + offset, chunk.count - offset) }
                try #require(n > 0)
                offset += n
            }
        }
        lseek(fd, 0, SEEK_SET)
        return fd
    }

    /// Reads everything, recording lines as strings and errors as "!N".
    func readAll(_ reader: inout LineReader) -> [String] {
        var out: [String] = []
        while true {
            do {
                guard let (line, number) = try reader.next() else { return out }
                out.append("\(number):" + String(decoding: line, as: UTF8.self))
            } catch {
                out.append("!\(error.line)")
            }
        }
    }

    @Test func crlfAndFinalLineWithoutNewline() throws {
        let fd = try tempFile([Array("a\r\nbb\n\nccc\r\n\r\nlast".utf8)])
        defer { close(fd) }
        var reader = LineReader(fd: fd, blockSize: 3)
        #expect(readAll(&reader) == ["1:a", "2:bb", "3:", "4:ccc", "5:", "6:last"])
    }

    @Test func emptyInputAndTrailingNewline() throws {
        let empty = try tempFile([])
        defer { close(empty) }
        var r1 = LineReader(fd: empty)
        #expect(readAll(&r1).isEmpty)
        let one = try tempFile([Array("x\n".utf8)])
        defer { close(one) }
        var r2 = LineReader(fd: one)
        #expect(readAll(&r2) == ["1:x"])
    }

    /// Through a pipe left open, so a read past the buffered lines would block.
    @Test func knowsWhenALineIsBuffered() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let text = Array("a\nbb\ncc".utf8)
        try #require(text.withUnsafeBytes { write(ends[1], $0.baseAddress!, text.count) } == text.count)
        var reader = LineReader(fd: ends[0])
        var seen: [String] = []
        func step() throws -> Bool {
            let buffered = reader.hasBufferedLine()
            if let (line, _) = try reader.next() { seen.append(String(decoding: line, as: UTF8.self)) }
            return buffered
        }
        #expect(try !step(), "nothing read yet")
        #expect(try step())
        let third = reader.hasBufferedLine()
        #expect(!third, "cc has no newline yet")
        close(ends[1])
        #expect(try !step(), "the end is not known before reading")
        let atEnd = reader.hasBufferedLine()
        #expect(atEnd, "at the end, next() returns at once")
        #expect(seen == ["a", "bb", "cc"])
    }

    @Test func overLongLinesAreReportedAndSkipped() throws {
        let long = [UInt8](repeating: UInt8(ascii: "z"), count: 100)
        let exact = [UInt8](repeating: UInt8(ascii: "e"), count: 16)
        let fd = try tempFile([Array("ok\n".utf8), long, Array("\n".utf8), exact, Array("\r\nafter\n".utf8),
                               Array([UInt8](repeating: UInt8(ascii: "q"), count: 17)), Array("\nend".utf8), long])
        defer { close(fd) }
        for blockSize in [1, 4, 7, 64, 1 << 20] {
            lseek(fd, 0, SEEK_SET)
            var reader = LineReader(fd: fd, blockSize: blockSize, maxLineLength: 16)
            let lines = readAll(&reader)
            #expect(lines == ["1:ok", "!2", "3:" + String(repeating: "e", count: 16), "4:after", "!5", "!6"], "block \(blockSize)")
        }
    }

    /// Asking hasBufferedLine before every line (as the CLI does) reads the same lines,
    /// over-long ones included, whatever the block size.
    @Test func askingForBufferedLinesChangesNothing() throws {
        let long = [UInt8](repeating: UInt8(ascii: "z"), count: 100)
        let fd = try tempFile([Array("ok\r\n\nx\n".utf8), long, Array("\nafter\n".utf8),
                               Array([UInt8](repeating: UInt8(ascii: "q"), count: 17)), Array("\nend".utf8)])
        defer { close(fd) }
        for blockSize in [1, 3, 4, 7, 64, 1 << 20] {
            lseek(fd, 0, SEEK_SET)
            var plain = LineReader(fd: fd, blockSize: blockSize, maxLineLength: 16)
            let expected = readAll(&plain)
            lseek(fd, 0, SEEK_SET)
            var asking = LineReader(fd: fd, blockSize: blockSize, maxLineLength: 16)
            var got: [String] = []
            while true {
                _ = asking.hasBufferedLine()
                _ = asking.hasBufferedLine()
                do {
                    guard let (line, number) = try asking.next() else { break }
                    got.append("\(number):" + String(decoding: line, as: UTF8.self))
                } catch {
                    got.append("!\(error.line)")
                }
            }
            #expect(got == expected, "block \(blockSize)")
            #expect(expected == ["1:ok", "2:", "3:x", "!4", "5:after", "!6", "7:end"])
        }
    }

    @Test func readsFromAPipe() throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        let text = Array("m,device=a v=1\nm,device=b v=2\r\n# note\nm,device=c v=3".utf8)
        let written = text.withUnsafeBytes { write(fds[1], $0.baseAddress!, text.count) }
        #expect(written == text.count)
        close(fds[1])
        defer { close(fds[0]) }
        var reader = LineReader(fd: fds[0])
        var parser = LineProtocolParser(precision: .ns)
        var record = ParsedRecord()
        var devices: [String] = []
        while let (line, number) = try reader.next() {
            if try parser.parse(line, lineNumber: number, into: &record) { devices.append(record.device) }
        }
        #expect(devices == ["a", "b", "c"])
    }

    @Test func fiftyMegabytesInBoundedMemory() throws {
        var chunk: [UInt8] = []
        var lines = 0
        while chunk.count < (1 << 20) - 64 {
            chunk += Array("meter,device=m\(lines % 97) power=\(lines).5,ok=t \(lines)\n".utf8)
            lines += 1
        }
        let fd = try tempFile(Array(repeating: chunk, count: 50))
        defer { close(fd) }
        var reader = LineReader(fd: fd)
        var count = 0
        var bytes = 0
        while let (line, number) = try reader.next() {
            count += 1
            bytes += line.count + 1
            #expect(number == count)
        }
        #expect(count == lines * 50)
        #expect(bytes == chunk.count * 50)
    }
}
