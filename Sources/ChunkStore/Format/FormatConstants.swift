/// Every magic number, version and fixed size of the on-disk format, in one place.
/// Formats/SPEC.md describes the bytes these name. All integers are little-endian.
enum FormatConstants {
    /// "CSDF": a day's data file. Followed by a u16 version.
    static let dataFileMagic: UInt32 = 0x4644_5343
    static let dataFileVersion: UInt16 = 1
    /// magic u32, version u16, reserved u16, day i32, crc u32.
    static let dataFileHeaderSize = 16

    /// "CSCK": one chunk inside a data file.
    static let chunkMagic: UInt32 = 0x4B43_5343
    static let chunkVersion: UInt8 = 1
    /// Chunk flag bit 0: a rollup section (``ChunkRollup``) ends the body.
    static let chunkFlagRollup: UInt8 = 1
    /// Bytes of a chunk record outside its body: length u32 before, crc u32 after.
    static let chunkFramingSize = 8
    /// Upper bound on a chunk body, so a corrupt length cannot ask for gigabytes.
    static let maxChunkBodySize = 256 << 20

    /// "CSIX": an index segment.
    static let indexMagic: UInt32 = 0x5849_5343
    static let indexVersion: UInt16 = 1
    static let indexHeaderSize = 64
    static let indexDeviceEntrySize = 64
    static let indexChunkEntrySize = 64

    /// "CSMF": the manifest.
    static let manifestMagic: UInt32 = 0x464D_5343
    /// Version 2 added numbered data files and the retention period; version 1 is still read.
    static let manifestVersion: UInt16 = 2

    /// "CSWL": a WAL segment.
    static let walMagic: UInt32 = 0x4C57_5343
    static let walVersion: UInt16 = 1
    /// magic u32, version u16, reserved u16, segment number u64, crc u32.
    static let walHeaderSize = 20
    /// crc u32, length u32, type u8.
    static let walRecordHeaderSize = 9
    static let walRecordTypeRows: UInt8 = 1
    static let maxWalRecordSize = 256 << 20

    /// Limits of the data model.
    static let maxNameLength = 255
    static let nanosPerDay: Int64 = 86_400_000_000_000
}
