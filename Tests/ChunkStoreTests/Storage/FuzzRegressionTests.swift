import Foundation
import Testing
@testable import ChunkStore

/// Inputs the fuzz targets (Fuzz/) crashed on, kept as tests.
@Suite struct FuzzRegressionTests {
    /// fuzz target `index`: a device entry with a valid crc but a row count near 2^64
    /// overflowed when summaries of two segments were added up.
    @Test func absurdDeviceCountsAreCorruptNotAnOverflow() throws {
        let dir = TemporaryDirectory("fuzz-regression")
        defer { dir.remove() }
        let path = dir.child("store")
        let store = try Store.open(at: path)
        try store.append([Row(device: "m1", timestamp: 1, fields: ["x": .float(1)])])
        try store.close()
        let fs = PosixFileSystem()
        let number = try Manifest.load(from: path, fileSystem: fs).indexSegments[0]
        let segmentPath = StoreLayout(root: path).indexSegment(number)
        var bytes = try fs.readAll(segmentPath)
        func storeU32(_ v: UInt32, _ at: Int) { for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: v >> UInt32(8 * i)) } }
        let entry = FormatConstants.indexHeaderSize
        for i in 0..<8 { bytes[entry + 40 + i] = 0xFF } // rows = UInt64.max
        storeU32(bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[entry..<(entry + 60)])) }, entry + 60)
        storeU32(bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(bytes.count - 4)])) }, bytes.count - 4)
        try Data(bytes).write(to: URL(fileURLWithPath: segmentPath))

        let segment = try IndexSegment(path: segmentPath, number: number, fileSystem: fs)
        #expect(throws: StoreError.self) { try IndexSet(segments: [segment, segment]).summaries(policy: .last) }
        let reader = try Store.openReader(at: path)
        #expect(throws: StoreError.self) { try reader.info() }
        #expect(try reader.verify().contains { "\($0)".contains(segmentPath) })
    }

    /// fuzz target `index`: a heap field list naming one field twice (valid checksums)
    /// trapped in `Dictionary(uniqueKeysWithValues:)` when segments were merged.
    @Test func repeatedFieldNameInTheIndexIsCorrupt() throws {
        let summary = IndexDeviceSummary(device: "m1", fields: [FieldDescriptor(name: "a", type: .float),
                                                                 FieldDescriptor(name: "a", type: .int)],
                                         minTimestamp: 1, maxTimestamp: 1, rows: 1, points: 1,
                                         latest: LatestValues(timestamp: 1, values: []), chunks: [])
        let bytes = IndexSegmentWriter.encode(segment: 1, devices: [summary])
        let dir = TemporaryDirectory("fuzz-regression")
        defer { dir.remove() }
        let path = dir.child("index-0000000000000001.csi")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let segment = try IndexSegment(path: path, number: 1, fileSystem: PosixFileSystem())
        #expect(throws: StoreError.self) { try segment.fields(of: try segment.device(at: 0)) }
        #expect(throws: StoreError.self) { try IndexSet(segments: [segment, segment]).summaries(policy: .last) }
    }
}
