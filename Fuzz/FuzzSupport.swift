// Shared helpers for the fuzz targets. Compiled into the ChunkStore module together with
// the library sources by scripts/fuzz.sh, so targets reach internal symbols.
#if canImport(Glibc)
import Glibc
#endif

enum FuzzSupport {
    /// A little-endian u32 appended to `out`.
    static func appendU32(_ value: UInt32, to out: inout [UInt8]) {
        for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(i)))) }
    }

    /// Overwrites 4 bytes at `offset` with `value`, little-endian.
    static func storeU32(_ value: UInt32, in bytes: inout [UInt8], at offset: Int) {
        for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
    }

    static func loadU32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }

    static func loadU64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }

    static func crc(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBytes { CRC32C.checksum($0) }
    }

    /// A private scratch directory for targets that need real files, made once per process.
    static let directory: String = {
        var template = Array("/tmp/chunkstore-fuzz-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { buffer in
            precondition(mkdtemp(buffer.baseAddress!) != nil, "mkdtemp failed")
            return String(cString: buffer.baseAddress!)
        }
    }()

    /// Writes `bytes` to `path`, replacing it.
    static func writeFile(_ path: String, _ bytes: [UInt8]) {
        let fs = PosixFileSystem()
        guard let file = try? fs.open(path, [.write, .create, .truncate]) else { return }
        defer { fs.close(file) }
        bytes.withUnsafeBytes { try? fs.write(file, $0, at: 0) }
    }
}
