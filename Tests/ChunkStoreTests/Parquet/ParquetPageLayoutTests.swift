import Testing
@testable import ChunkStore

/// Pages of a column chunk, decoded far enough to check how the writer cut and packed them.
private struct Page {
    var header: ThriftValue
    var body: [UInt8]
    var isData: Bool { header[1]?.int == 0 }
    var rows: Int { Int(header[5]?[1]?.int ?? 0) }
}

private func pages(of chunk: ParquetColumnChunk) throws -> [Page] {
    var result: [Page] = []
    var reader = ThriftCompactReader(chunk.bytes)
    while reader.offset < chunk.bytes.count {
        let header = try reader.structure()
        let stored = Array(chunk.bytes[reader.offset..<(reader.offset + Int(header[3]?.int ?? 0))])
        reader.offset += stored.count
        var body = stored
        if chunk.codec == .lz4Raw {
            try stored.withUnsafeBytes { try LZ4Block.decompress($0, decodedLength: Int(header[2]?.int ?? 0), into: &body) }
        }
        result.append(Page(header: header, body: body))
    }
    return result
}

@Suite struct ParquetPageLayoutTests {
    static let time = ParquetColumnSpec(name: "time", type: .int64, repetition: .required)

    /// Readings every 5 s with millisecond jitter (in microseconds), one in 500 lost.
    static func jittered(_ count: Int, seed: UInt64) -> [Int64] {
        var rng = SeededRandom(seed: seed)
        return (0..<count).filter { $0 % 500 != 7 }.map { i in Int64(i) * 5_000_000 + Int64(rng.next() % 201) * 1000 }
    }

    @Test(arguments: DeltaBinaryPackedEncoder.Layout.candidates)
    func deltaRoundTripsInEveryLayout(layout: DeltaBinaryPackedEncoder.Layout) throws {
        var rng = SeededRandom(seed: 5)
        let cases: [[Int64]] = [Self.jittered(3000, seed: 1), [7], (0..<1025).map { _ in Int64(bitPattern: rng.next()) },
                                [Int64.max, Int64.min, 3]]
        for values in cases {
            var out = ByteWriter()
            DeltaBinaryPackedEncoder.encode(values[...], layout: layout, into: &out)
            #expect(try decodeDelta(out.bytes) == values, "\(layout) \(values.count) values")
        }
    }

    @Test func jitteredTimestampsPickLargeBlocksOfSmallMiniblocks() throws {
        let values = Self.jittered(4096, seed: 2)
        #expect(DeltaBinaryPackedEncoder.bestLayout(for: values[...]) == .wide)
        var wide = ByteWriter(), small = ByteWriter()
        DeltaBinaryPackedEncoder.encode(values[...], layout: .wide, into: &wide)
        DeltaBinaryPackedEncoder.encode(values[...], layout: .small, into: &small)
        #expect(wide.count < small.count)
        // A gap widens only its own miniblock: the first block (deltas 0..<1024) holds three.
        var r = ThriftCompactReader(wide.bytes)
        for _ in 0..<4 { _ = try r.uvarint() }
        _ = try r.zigzag()
        let widths = try (0..<32).map { _ in Int(try r.byte()) }
        #expect(widths.filter { $0 > 19 }.count == 3 && widths.allSatisfy { $0 >= 18 })
    }

    @Test func pagesStartAtEveryBreak() throws {
        let values = (0..<10_000).map { Int64($0) }
        let chunk = try ParquetColumnEncoder.encode(ParquetColumnData(values: .int64(values)), spec: Self.time,
                                                    rowCount: values.count, pageBreaks: [0, 3, 3, 5000, 9999])
        let data = try pages(of: chunk).filter(\.isData)
        #expect(data.map(\.rows) == [3, 4997, 4999, 1])
        // Each page is its own delta run: it starts from the page's first value.
        var first = ThriftCompactReader(data[2].body)
        for _ in 0..<3 { _ = try first.uvarint() }
        #expect(try first.zigzag() == 5000)
    }

    @Test func dictionaryPagesUseTheirOwnWidestIndex() throws {
        // Page 1 uses entries 0...3, page 2 also entry 999: widths 2 and 10, not 10 throughout.
        let rows = ParquetColumnEncoder.dictionaryPageRows
        let values = (0..<rows).map { Double($0 % 4) } + (0..<rows).map { Double($0 % 1000) }
        let spec = ParquetColumnSpec(name: "v", type: .double, repetition: .required)
        let chunk = try ParquetColumnEncoder.encode(ParquetColumnData(values: .double(values)), spec: spec, rowCount: values.count)
        let data = try pages(of: chunk).filter(\.isData)
        #expect(data.count == 2)
        #expect(data.map { $0.body[0] } == [2, 10])
        let decoded = decodeRLEHybrid(Array(data[1].body.dropFirst()), bitWidth: 10, count: rows)
        #expect(decoded[999] == 999 && decoded[1000] == 0)
    }

    @Test func automaticCodecCompressesOnlyWhereItPays() throws {
        var rng = SeededRandom(seed: 8)
        let noise = (0..<5000).map { _ in Int64(bitPattern: rng.next()) }
        let steady = (0..<5000).map { Int64($0 / 100) }
        let random = try ParquetColumnEncoder.encode(ParquetColumnData(values: .int64(noise)), spec: Self.time,
                                                     rowCount: noise.count, codec: nil)
        let repetitive = try ParquetColumnEncoder.encode(ParquetColumnData(values: .double(steady.map(Double.init))),
                                                         spec: ParquetColumnSpec(name: "v", type: .double, repetition: .required),
                                                         rowCount: steady.count, codec: nil)
        #expect(random.codec == .uncompressed)
        #expect(repetitive.codec == .lz4Raw)
        // Uncompressed pages say so: stored and uncompressed sizes agree.
        for page in try pages(of: random) { #expect(page.header[2]?.int == page.header[3]?.int) }
    }
}
