import Testing
@testable import ChunkStore

@Suite struct DictionaryOrderTests {
    /// Dictionary-encodes `values` in first-use order.
    static func firstUse(_ values: [Double]) -> (keys: [UInt64], indices: [UInt32]) {
        var keys: [UInt64] = [], seen: [UInt64: UInt32] = [:]
        let indices = values.map { v -> UInt32 in
            if let i = seen[v.bitPattern] { return i }
            keys.append(v.bitPattern)
            seen[v.bitPattern] = UInt32(keys.count - 1)
            return UInt32(keys.count - 1)
        }
        return (keys, indices)
    }

    @Test func lowValuesSeenLateGetSmallNumbersInValueOrder() {
        // Page 1: 64 high values; page 2: the same 8 low values over and over. In first-use
        // order page 2's numbers are 64...71 (7 bits); in value order 0...7 (3 bits).
        let high: [Double] = (0..<64).map { 1000 + Double($0) }
        let values: [Double] = high + (0..<64).map { Double($0 % 8) }
        var (keys, indices) = Self.firstUse(values)
        DictionaryOrder.improve(keys: &keys, indices: &indices, pageRows: 64)
        let decoded: [Double] = indices.map { Double(bitPattern: keys[Int($0)]) }
        #expect(decoded == values)
        let low: [Double] = (0..<8).map { Double($0) }
        let entries: [Double] = keys.map { Double(bitPattern: $0) }
        #expect(entries == low + high)
        let bits = DictionaryOrder.packedBits(indices, pageRows: 64)
        #expect(bits == 64 * 7 + 64 * 3)
    }

    @Test func firstUseOrderStaysWhenItPacksSmaller() {
        // A band that drifts upwards: first use numbers each page's new values right after the last.
        let values: [Double] = (0..<256).map { Double(300 - $0 / 4) }
        var (keys, indices) = Self.firstUse(values)
        let before = (keys, indices)
        DictionaryOrder.improve(keys: &keys, indices: &indices, pageRows: 32)
        #expect(keys == before.0 && indices == before.1)
    }

    @Test func orderKeySortsNegativesZerosAndPositives() {
        let sorted: [Double] = [-.infinity, -2.5, -0.0, 0.0, 1e-300, 3, .infinity]
        let keys = sorted.map { DictionaryOrder.orderKey($0.bitPattern) }
        #expect(keys == keys.sorted() && Set(keys).count == keys.count)
        #expect(keys.map { DictionaryOrder.bits(ofOrderKey: $0) } == sorted.map(\.bitPattern))
    }
}
