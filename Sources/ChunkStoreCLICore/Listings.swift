import ChunkStore

/// The rows of `chunkstore last` and `chunkstore devices`, written by the commands and by
/// `serve`'s `/api/v1/last` and `/api/v1/devices` alike.
package enum Listings {
    /// The latest row of every device, or of the named ones in the order given (then the
    /// columns are the fields that have a value in at least one printed row). `storePath`
    /// is the store as the user named it, for the "no device" message.
    package static func latest(store: Store, storePath: String, devices: [String], format: OutputFormat, epoch: EpochUnit?,
                               out: any TextSink = StandardStream.output) throws {
        let rows = try store.latest()
        var selected = Array(rows.indices)
        if !devices.isEmpty {
            let resolved = try DeviceSelection.resolve(devices, in: try store.devices(), store: storePath)
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
}
