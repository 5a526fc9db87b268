/// How one column chunk's values are written, chosen by size:
/// - INT64: DELTA_BINARY_PACKED (in the block layout a sample packs smallest) unless
///   PLAIN is smaller (random values);
/// - DOUBLE: RLE_DICTIONARY when few distinct values make it smaller than PLAIN;
/// - BOOLEAN: PLAIN (one bit per value, least significant bit first);
/// - strings: RLE_DICTIONARY (a PLAIN dictionary page, then indices).
/// Encodings.md describes each; dictionary indices are a bit-width byte followed by the
/// RLE hybrid ("Dictionary Encoding (PLAIN_DICTIONARY = 2 and RLE_DICTIONARY = 8)").
struct ValuePlan {
    private enum Kind {
        case int64([Int64], delta: DeltaBinaryPackedEncoder.Layout?)
        case double([Double])
        case doubleDictionary(values: [Double], dictionary: [Double], indices: [UInt32])
        case boolean([Bool])
        case strings(dictionary: [[UInt8]], indices: [Int32])
    }

    private let kind: Kind
    /// INT64 values are unsigned (UINT_64): statistics compare them as unsigned.
    private let unsigned: Bool
    /// The data pages' value encoding.
    let encoding: ParquetEncoding
    /// The dictionary page body and entry count, for dictionary encodings.
    let dictionaryPage: (body: [UInt8], count: Int)?

    init(_ values: ParquetValues, unsigned: Bool = false) {
        self.unsigned = unsigned
        switch values {
        case .int64(let v):
            // Deltas of sorted or slowly moving values pack to a few bits; compare a sample's sizes.
            // The sample also picks the block layout that suits the column.
            let sample = v.prefix(4096)
            let layout = DeltaBinaryPackedEncoder.bestLayout(for: sample)
            var delta = ByteWriter()
            DeltaBinaryPackedEncoder.encode(sample, layout: layout, into: &delta)
            let useDelta = delta.count <= sample.count * 8
            kind = .int64(v, delta: useDelta ? layout : nil)
            encoding = useDelta ? .deltaBinaryPacked : .plain
            dictionaryPage = nil
        case .double(let v):
            if let (dictionary, indices) = ValuePlan.dictionary(of: v) {
                kind = .doubleDictionary(values: v, dictionary: dictionary, indices: indices)
                var page = ByteWriter(capacity: dictionary.count * 8)
                for d in dictionary { page.appendU64(d.bitPattern) }
                dictionaryPage = (page.bytes, dictionary.count)
                encoding = .rleDictionary
            } else {
                kind = .double(v)
                encoding = .plain
                dictionaryPage = nil
            }
        case .boolean(let v):
            kind = .boolean(v)
            encoding = .plain
            dictionaryPage = nil
        case .dictionaryStrings(let dictionary, let indices):
            kind = .strings(dictionary: dictionary, indices: indices)
            var page = ByteWriter()
            // PLAIN BYTE_ARRAY: 4-byte little-endian length, then the bytes.
            for s in dictionary {
                page.appendU32(UInt32(s.count))
                page.append(s)
            }
            dictionaryPage = (page.bytes, dictionary.count)
            encoding = .rleDictionary
        }
    }

    /// A dictionary for `values` when its indices plus entries beat 8 bytes a value: a
    /// sample decides first, so columns of mostly distinct values cost little.
    private static func dictionary(of values: [Double]) -> ([Double], [UInt32])? {
        guard values.count >= 64 else { return nil }
        let limit = min(ParquetColumnEncoder.maxDictionaryEntries, values.count / 4)
        let sample = values.prefix(4096)
        var sampleTable = DoubleTable(capacity: sample.count)
        for v in sample { _ = sampleTable.index(of: v.bitPattern) }
        guard sampleTable.count <= sample.count * 3 / 4 else { return nil }
        var table = DoubleTable(capacity: limit)
        var indices = [UInt32](repeating: 0, count: values.count)
        for (i, v) in values.enumerated() {
            guard let p = table.index(of: v.bitPattern), table.count <= limit else { return nil }
            indices[i] = p
        }
        var keys = table.keys
        DictionaryOrder.improve(keys: &keys, indices: &indices, pageRows: ParquetColumnEncoder.dictionaryPageRows)
        return (keys.map(Double.init(bitPattern:)), indices)
    }

    /// Appends the values at `range` (indices among the non-null values) in ``encoding``.
    func appendValues(_ range: Range<Int>, into out: inout ByteWriter) {
        switch kind {
        case .int64(let v, let delta):
            if let delta {
                DeltaBinaryPackedEncoder.encode(v[range], layout: delta, into: &out)
            } else {
                for x in v[range] { out.appendI64(x) }
            }
        case .double(let v):
            for x in v[range] { out.appendU64(x.bitPattern) }
        case .doubleDictionary(_, _, let indices):
            indices[range].withUnsafeBufferPointer { Self.appendIndices($0, into: &out) }
        case .boolean(let v):
            BitPacking.pack(v[range].lazy.map { $0 ? 1 : 0 }, paddedTo: 0, bitWidth: 1, into: &out)
        case .strings(_, let indices):
            // Indices are never negative, so their bits read the same as UInt32.
            indices[range].withUnsafeBufferPointer { p in
                p.withMemoryRebound(to: UInt32.self) { Self.appendIndices($0, into: &out) }
            }
        }
    }

    /// Dictionary indices of one page: a bit-width byte, then the RLE hybrid. The width is
    /// the fewest bits for this page's largest index (at least 1), as Arrow writes it:
    /// entries are numbered in order of first use, so pages that meet no rare late value
    /// pack tighter than the whole dictionary's size would allow.
    private static func appendIndices(_ indices: UnsafeBufferPointer<UInt32>, into out: inout ByteWriter) {
        var any: UInt32 = 0  // the OR of all indices has the width of the largest
        for x in indices { any |= x }
        let width = max(1, BitPacking.width(UInt64(any)))
        out.appendU8(UInt8(width))
        RLEHybridEncoder.encode(count: indices.count, bitWidth: width, into: &out) { indices[$0] }
    }

    /// Min/max/null count of the chunk's values.
    func statistics(nullCount: Int) -> ParquetStatistics {
        switch kind {
        case .int64(let v, _) where unsigned: ParquetStatistics.of(unsigned: v.map { UInt64(bitPattern: $0) }, nullCount: nullCount)
        case .int64(let v, _): ParquetStatistics.of(v, nullCount: nullCount)
        case .double(let v), .doubleDictionary(let v, _, _): ParquetStatistics.of(v, nullCount: nullCount)
        case .boolean(let v): ParquetStatistics.of(v, nullCount: nullCount)
        case .strings(let dictionary, _): ParquetStatistics.of(strings: dictionary, nullCount: nullCount)
        }
    }
}
