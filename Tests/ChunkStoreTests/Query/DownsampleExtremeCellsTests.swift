import Testing
@testable import ChunkStore

/// Rollup cells at both ends of the timestamp range: cell ends past `Int64.max` must
/// neither trap when sealing nor when planning, and the planner must answer as the rows do.
@Suite struct DownsampleExtremeCellsTests {
    @Test(arguments: [Int64.max, Int64.min, ChunkRollup.lowestCellStart])
    func cellsAtTheEndsOfTheRange(edge: Int64) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = StoreOptions()
        options.sync = .none
        options.compactionTrigger = 0
        let store = try Store.open(at: dir.child("s"), options: options)
        let hour: Int64 = 3_600_000_000_000
        let up = edge > 0
        // Rows an hour apart up to (or down from) the edge: one chunk of several cells.
        let stamps = (0..<5).map { up ? edge - Int64($0) * hour / 2 : edge + Int64($0) * hour / 2 }.sorted()
        try store.append(stamps.enumerated().map { i, t in Row(device: "m", timestamp: t, fields: ["p": .float(Double(i))]) })
        try store.flush()
        let widths: [Int64] = [hour, 2 * hour, 7 * 60_000_000_000, 86_400_000_000_000]
        for width in widths {
            let ranges: [(from: Int64?, to: Int64?)] = [(stamps[0], stamps[4]), (stamps[1], stamps[3]), (nil, nil)]
            for (from, to) in ranges {
                let query = DownsampleQuery(device: "m", from: from, to: to, fields: ["p"], bucket: .nanoseconds(width),
                                            functions: [.count, .sum, .min, .max, .first, .last])
                let planned = try store.downsample(query)
                let raw = try store.withContext { snapshot in
                    guard let bounds = Store.bounds(from: query.from, to: query.to) else { return [DownsampleRow]() }
                    return try snapshot.downsample(device: "m", query: query, bucketing: try Bucketing(query.bucket),
                                                   from: bounds.from, toInclusive: bounds.toInclusive,
                                                   reader: DataFileReader(snapshot), useAggregates: false)
                }
                #expect(planned == raw, "width \(width), \(String(describing: from))..<\(String(describing: to))")
            }
        }
        try store.close()
    }
}
