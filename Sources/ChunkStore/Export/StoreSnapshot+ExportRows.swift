extension StoreSnapshot {
    /// Rows of one device in [from, toInclusive], merged and deduplicated exactly like
    /// ``range(device:from:toInclusive:fields:)``, but left columnar (payload bits plus
    /// presence) so the export copies them into Parquet columns without boxing each value.
    func exportRows(device: String, from: Int64, toInclusive: Int64) throws -> [ColumnarRows] {
        let schema = try schema(of: device)
        let names = schema.keys.sorted { $0.precedesInBytes($1) }
        let reader = DataFileReader(self)
        var pieces: [ColumnarRows] = []
        for cluster in try clusters(device: device, from: from, toInclusive: toInclusive) {
            let runs = try cluster.pieces.map { try reader.rows(of: $0, fields: names) }
            var merged = RunMerger.merge(runs, policy: policy, fields: names, from: from, toInclusive: toInclusive)
            for i in merged.columns.indices {
                merged.columns[i].type = schema[merged.columns[i].name] ?? merged.columns[i].type
            }
            if merged.rowCount > 0 { pieces.append(merged) }
        }
        return pieces
    }
}
