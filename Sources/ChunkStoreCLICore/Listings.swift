import ChunkStore

/// The rows of `chunkstore last`, `devices`, `alerts` and `summary`, written by the commands
/// and by `serve`'s `/api/v1/last`, `/devices`, `/alerts` and `/summary` alike.
package enum Listings {
    /// The latest row of every device, or of the named ones in the order given (then the
    /// columns are the fields that have a value in at least one printed row). `storePath`
    /// is the store as the user named it, for the "no device" message.
    package static func latest(store: Store, storePath: String, devices: [String], format: OutputFormat, epoch: EpochUnit?,
                               out: any TextSink = StandardStream.output) throws {
        let rows = try store.latest()
        var selected = Array(rows.indices)
        if !devices.isEmpty {
            let resolved = try DeviceSelection.resolve(devices, in: try store.deviceSchemas(), store: storePath)
            let rowOf = Dictionary(rows.indices.map { (rows.devices[$0], $0) }, uniquingKeysWith: { a, _ in a })
            selected = resolved.compactMap { rowOf[$0.device] }
        }
        let fields = devices.isEmpty ? Array(rows.fieldNames.indices)
            : rows.fieldNames.indices.filter { f in selected.contains { rows.value($0, field: f) != nil } }
        let writer = RowWriter(format: format, columns: ["device", "time"] + fields.map { rows.fieldNames[$0] },
                               epoch: epoch, out: out)
        for r in selected {
            writer.row([.text(rows.devices[r]), .time(rows.timestamps[r])] + fields.map { .value(rows.value(r, field: $0)) })
        }
        try writer.finish()
    }

    /// Every device with its fields, time span, rows and points.
    package static func devices(store: Store, format: OutputFormat, epoch: EpochUnit?,
                                out: any TextSink = StandardStream.output) throws {
        let writer = RowWriter(format: format, columns: ["device", "fields", "first", "last", "rows", "points"], epoch: epoch, out: out)
        for info in try store.devices() {
            let fields = info.fields.map { (name: $0.name, type: "\($0.type)") }
            writer.row([.text(info.device), .fields(fields), .time(info.firstTimestamp), .time(info.lastTimestamp), .int(info.rows),
                        .int(info.points)])
        }
        try writer.finish()
    }

    /// Alert events as rows: time, rule, device, state, severity, value.
    package static func alerts(_ events: [AlertEvent], format: OutputFormat, epoch: EpochUnit?,
                               out: any TextSink = StandardStream.output) throws {
        let writer = RowWriter(format: format, columns: ["time", "rule", "device", "state", "severity", "value"], epoch: epoch, out: out)
        for e in events {
            writer.row([.time(e.timestamp), .text(e.rule), .text(e.device), .text(e.firing ? "firing" : "resolved"),
                        .text(e.severity.description), .value(.float(e.value))])
        }
        try writer.finish()
    }

    /// A fleet summary: one row per device, or with clusters one row per cluster.
    package static func summary(_ summary: FleetSummary, counter: String?, clustered: Bool, format: OutputFormat, epoch: EpochUnit?,
                                out: any TextSink = StandardStream.output) throws {
        if clustered {
            let writer = RowWriter(format: format, columns: ["cluster", "size", "members", "profile"], epoch: epoch, out: out)
            for (i, c) in summary.clusters.enumerated() {
                writer.row([.int(i), .int(c.size), .text(c.members.joined(separator: " ")),
                            .text(c.centroid.map { RowWriter.number(.float(($0 * 1e4).rounded() / 1e4)) }.joined(separator: " "))])
            }
            return try writer.finish()
        }
        var names: [String] = []
        for d in summary.devices { for f in d.fields where !names.contains(f.name) { names.append(f.name) } }
        // Columns a request left out (percentiles, gaps) are not printed.
        let gaps = summary.devices.isEmpty || summary.devices.contains { $0.gaps != nil }
        let percentiles = summary.devices.isEmpty || summary.devices.contains { $0.fields.contains { $0.p50 != nil } }
        let statistics = percentiles ? ["mean", "min", "max", "p50", "p95"] : ["mean", "min", "max"]
        var columns = ["device", "rows", "first", "last"] + (gaps ? ["interval_s", "gaps"] : [])
        for n in names { columns += statistics.map { n + "_" + $0 } }
        if let counter { columns.append(counter + "_consumption") }
        let writer = RowWriter(format: format, columns: columns, epoch: epoch, out: out)
        for d in summary.devices {
            var cells: [Cell] = [.text(d.device), .int(d.rows), .time(d.first), .time(d.last)]
            if gaps { cells += [.value(d.interval.map { .float(Double($0) / 1e9) }), d.gaps.map { Cell.int($0) } ?? Cell.value(nil)] }
            for n in names {
                if let f = d.fields.first(where: { $0.name == n }) {
                    cells += [f.mean, f.min, f.max].map { .value(.float($0)) }
                    if percentiles { cells += [f.p50, f.p95].map { .value($0.map { .float($0) }) } }
                } else {
                    cells += Array(repeating: .value(nil), count: statistics.count)
                }
            }
            if counter != nil { cells.append(.value(d.consumption.map { .float($0) })) }
            writer.row(cells)
        }
        try writer.finish()
    }
}
