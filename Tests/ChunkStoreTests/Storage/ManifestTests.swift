@testable import ChunkStore
import Testing

/// The manifest's bytes (SPEC §3), version 2 and the version 1 it still reads.
struct ManifestTests {
    /// SPEC §10, "A manifest after a compaction", byte for byte.
    static let specExample: [UInt8] = [
        0x43, 0x53, 0x4d, 0x46, 0x02, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x24, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x42, 0x07, 0x69, 0x35, 0x09, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xe6, 0x4f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe7, 0x4f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x92, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x51, 0xee, 0xa7, 0xf1,
    ]

    static var specManifest: Manifest {
        var m = Manifest()
        m.generation = 9
        m.duplicatePolicy = .last
        m.nextChunkSequence = 13
        m.lsnHighWater = 36
        m.nextIndexSegment = 18
        m.nextDataFile = 5
        m.retention = 30 * 86_400 * 1_000_000_000
        m.indexSegments = [17]
        m.dataFiles = [.init(day: 20454, committedLength: 781, number: 4), .init(day: 20455, committedLength: 402, number: 3)]
        return m
    }

    @Test func encodesTheSpecExample() {
        #expect(Self.specManifest.encoded() == Self.specExample)
    }

    @Test func decodesTheSpecExample() throws {
        #expect(try Manifest.decode(Self.specExample, path: "MANIFEST") == Self.specManifest)
    }

    @Test func namesDataFilesAsTheSpecSays() {
        let layout = StoreLayout(root: "s")
        #expect(layout.dataFile(day: 20454, number: 4) == "s/data/2026-01-01.0000000000000004.csd")
        #expect(layout.dataFile(day: 20454, number: 0) == "s/data/2026-01-01.csd")
        #expect(StoreLayout.dataFileNumber(fromName: "2026-01-01.0000000000000004.csd") == 4)
        #expect(StoreLayout.dataFileNumber(fromName: "2026-01-01.csd") == 0)
        #expect(StoreLayout.dataFileNumber(fromName: "2026-01-01.4.csd") == nil)
        #expect(StoreLayout.dataFileNumber(fromName: "2026-01-01.csd.repair") == nil)
    }

    /// Version 1: no next_data_file or retention, 16-byte data file entries, number 0.
    @Test func readsVersion1() throws {
        var out = ByteWriter()
        out.appendU32(FormatConstants.manifestMagic)
        out.appendU16(1)
        out.appendU16(0)
        out.appendU64(4)
        out.appendU8(DuplicatePolicy.sum.rawValue)
        for _ in 0..<7 { out.appendU8(0) }
        out.appendU64(7)
        out.appendU64(12)
        out.appendU64(3)
        out.appendU32(1)
        out.appendU32(1)
        out.appendU64(2)
        out.appendU32(UInt32(bitPattern: 20454))
        out.appendU32(0)
        out.appendU64(500)
        out.appendU32(CRC32C.checksum(out.bytes))
        let m = try Manifest.decode(out.bytes, path: "MANIFEST")
        #expect(m.generation == 4 && m.duplicatePolicy == .sum && m.nextChunkSequence == 7 && m.lsnHighWater == 12)
        #expect(m.nextIndexSegment == 3 && m.indexSegments == [2])
        #expect(m.dataFiles == [.init(day: 20454, committedLength: 500, number: 0)])
        #expect(m.nextDataFile == 1 && m.retention == 0)
    }

    /// Every rule §3 states that a reader can check.
    @Test func rejectsWhatTheSpecForbids() {
        func damaged(_ change: (inout Manifest) -> Void) -> [UInt8] {
            var m = Self.specManifest
            change(&m)
            return m.encoded()
        }
        let cases: [(String, [UInt8])] = [
            ("number at next_data_file", damaged { $0.dataFiles[0].number = 5 }),
            ("days out of order", damaged { $0.dataFiles.swapAt(0, 1) }),
            ("same day twice", damaged { $0.dataFiles[1].day = 20454 }),
            ("negative retention", damaged { $0.retention = -1 }),
            ("a byte short", { var b = Self.specExample; b.remove(at: 70); return b }()),
            ("flipped bit", { var b = Self.specExample; b[60] ^= 1; return b }()),
        ]
        for (name, bytes) in cases {
            #expect(throws: (any Error).self, "\(name)") { try Manifest.decode(bytes, path: "MANIFEST") }
        }
    }
}
