extension StoreSnapshot {
    /// Downsampled rows of one device, cluster by cluster: from stored aggregates where
    /// they may stand and decoded rows elsewhere (see ``feedAggregates``). With
    /// `useAggregates` false every row is decoded: the raw path, which tests compare with.
    func downsample(device: String, query: DownsampleQuery, bucketing: Bucketing,
                    from: Int64, toInclusive: Int64, reader: DataFileReader,
                    useAggregates: Bool = true) throws -> [DownsampleRow] {
        var downsampler = Downsampler(device: device, fields: query.fields, functions: query.functions, bucketing: bucketing)
        try feed(device: device, from: from, toInclusive: toInclusive, reader: reader, useAggregates: useAggregates, into: &downsampler)
        return downsampler.finish()
    }

    /// Feeds every row of `device` in `from...toInclusive` to `downsampler` (its fields),
    /// cluster by cluster: from stored aggregates where they may stand (unless
    /// `useAggregates` is false) and decoded rows elsewhere.
    func feed(device: String, from: Int64, toInclusive: Int64, reader: DataFileReader, useAggregates: Bool = true,
              into downsampler: inout Downsampler) throws {
        try forEachCluster(device: device, from: from, toInclusive: toInclusive, lone: { entry in
            try useAggregates && feedLoneChunk(entry, from: from, toInclusive: toInclusive, reader: reader, into: &downsampler)
        }) { cluster in
            if useAggregates, try feedAggregates(cluster, fields: downsampler.fields, from: from, toInclusive: toInclusive,
                                                 reader: reader, into: &downsampler) {
                return
            }
            var runs: [ColumnarRows?] = Array(repeating: nil, count: cluster.pieces.count)
            try feedRows(cluster, runs: &runs, fields: downsampler.fields, from: from, toInclusive: toInclusive,
                         reader: reader, into: &downsampler)
        }
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
