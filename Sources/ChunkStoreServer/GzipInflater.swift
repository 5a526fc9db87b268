import CZlib

/// Decompresses gzip (and zlib) bodies with the system's zlib, refusing to produce more
/// than a limit: a small body must not inflate into gigabytes.
enum GzipInflater {
    /// Why a body could not be inflated.
    enum Failure: Error, Equatable {
        /// The decompressed body would exceed the limit.
        case tooLarge(limit: Int)
        /// The bytes are not gzip, or are cut short.
        case malformed(String)
    }

    /// The decompressed bytes of `input` (gzip members one after another, as `cat a.gz b.gz`
    /// makes, are read in turn), at most `limit` of them.
    static func inflate(_ input: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        var output: [UInt8] = []
        guard !input.isEmpty else { return output }
        var stream = z_stream()
        // 15 window bits + 32: detect gzip or zlib headers.
        guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .malformed("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var consumed = 0
        while true {
            let status: Int32 = input.withUnsafeBufferPointer { source in
                chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress! + consumed)
                    stream.avail_in = UInt32(input.count - consumed)
                    stream.next_out = target.baseAddress
                    stream.avail_out = UInt32(target.count)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    consumed = input.count - Int(stream.avail_in)
                    return status
                }
            }
            let produced = chunk.count - Int(stream.avail_out)
            if output.count + produced > limit { throw .tooLarge(limit: limit) }
            output.append(contentsOf: chunk[0..<produced])
            switch status {
            case Z_STREAM_END:
                if consumed == input.count { return output }
                // Another gzip member follows.
                guard inflateReset(&stream) == Z_OK else { throw .malformed("zlib could not restart") }
            case Z_OK:
                break
            case Z_BUF_ERROR:
                // No progress possible: the input ended inside a member.
                throw .malformed("the gzip body is cut short")
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw .malformed("the body is not valid gzip: \(reason)")
            }
        }
    }
}
