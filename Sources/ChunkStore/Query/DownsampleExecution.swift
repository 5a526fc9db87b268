extension StoreSnapshot {
    /// Downsampled rows of one device. A chunk that overlaps no other piece and lies wholly
    /// inside the query range and one bucket contributes its stored statistics without
    /// being decompressed. Other clusters are decoded: sorted pieces that share no
    /// timestamp are fed stretch by stretch in time order, the rest merged first.
    func downsample(device: String, query: DownsampleQuery, bucketing: Bucketing,
                    from: Int64, toInclusive: Int64, reader: DataFileReader) throws -> [DownsampleRow] {
        var downsampler = Downsampler(device: device, fields: query.fields, functions: query.functions, bucketing: bucketing)
        for cluster in try clusters(device: device, from: from, toInclusive: toInclusive) {
            if cluster.pieces.count == 1, case .chunk(let entry) = cluster.pieces[0],
               entry.minTimestamp >= from, entry.maxTimestamp <= toInclusive,
               bucketing.bucketStart(of: entry.minTimestamp) == bucketing.bucketStart(of: entry.maxTimestamp) {
                let header = try reader.read(entry).header
                var stats: [String: (FieldType, FieldStats)] = [:]
                for field in header.fields where query.fields.contains(field.name) {
                    stats[field.name] = (field.type, field.stats)
                }
                if downsampler.add(chunkMinTs: entry.minTimestamp, maxTs: entry.maxTimestamp, stats: stats) { continue }
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
