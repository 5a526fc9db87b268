extension StoreSnapshot {
    /// Downsampled rows of one device. A chunk that overlaps no other piece contributes
    /// its stored aggregates (its statistics, or its rollup cells) wherever they fit a
    /// bucket inside the range, and decoded rows elsewhere (see
    /// ``Downsampler/add(chunk:from:toInclusive:decode:)``). Other clusters are decoded:
    /// sorted pieces that share no timestamp are fed stretch by stretch in time order,
    /// the rest merged first. With `useAggregates` false every row is decoded: the raw
    /// path, which tests compare with.
    func downsample(device: String, query: DownsampleQuery, bucketing: Bucketing,
                    from: Int64, toInclusive: Int64, reader: DataFileReader,
                    useAggregates: Bool = true) throws -> [DownsampleRow] {
        var downsampler = Downsampler(device: device, fields: query.fields, functions: query.functions, bucketing: bucketing)
        for cluster in try clusters(device: device, from: from, toInclusive: toInclusive) {
            if useAggregates, cluster.pieces.count == 1, case .chunk(let entry) = cluster.pieces[0],
               try downsampler.add(chunk: reader.summary(entry), from: from, toInclusive: toInclusive,
                                   decode: { try reader.rows(of: cluster.pieces[0], fields: query.fields) }) {
                continue
            }
            let runs = try cluster.pieces.map { try reader.rows(of: $0, fields: query.fields) }
            // Sorted runs that share no timestamp (a chunk and late rows that filled gaps)
            // need no resolving: their stretches are fed in place, in time order.
            // Decoded chunks are strictly increasing (the chunk decoder checks); head
            // buffers are in arrival order and checked here.
            if zip(cluster.pieces, runs).allSatisfy({ $0.0.isSortedChunk || RunMerger.isStrictlyIncreasing($0.1.timestamps) }) {
                let stretches = RunMerger.stretches(runs, from: from, toInclusive: toInclusive)
                if !stretches.contains(where: \.collides) {
                    for stretch in stretches { downsampler.add(rows: runs[stretch.run], range: stretch.lo..<stretch.hi) }
                    continue
                }
            }
            downsampler.add(rows: RunMerger.merge(runs, policy: policy, fields: query.fields, from: from, toInclusive: toInclusive))
        }
        return downsampler.finish()
    }
}

extension Store {
    /// Aggregates of some fields per time bucket, for one device or every device (grouped by
    /// device, devices in id byte order, buckets ascending; empty buckets omitted).
    public func downsample(_ query: DownsampleQuery) throws(StoreError) -> [DownsampleRow] {
        let bucketing = try Bucketing(query.bucket, timeZone: query.timeZone)
        guard !query.fields.isEmpty, !query.functions.isEmpty else {
            throw StoreError.invalidArgument("a downsampling query needs at least one field and one function")
        }
        guard let bounds = Store.bounds(from: query.from, to: query.to) else { return [] }
        return try withContext { context in
            let reader = DataFileReader(context)
            let devices = try query.device.map { [$0] } ?? context.deviceNames()
            var rows: [DownsampleRow] = []
            for device in devices {
                rows += try context.downsample(device: device, query: query, bucketing: bucketing,
                                               from: bounds.from, toInclusive: bounds.toInclusive, reader: reader)
            }
            return rows
        }
    }
}
