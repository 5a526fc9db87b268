/// What an export reads, worked out from the index without decoding a chunk: the
/// selected devices with their fields, and per UTC day the chunks that hold rows of it,
/// cut into read windows of about a row group each, plus a fingerprint of those chunks
/// (their identities: sequence, file offset, length, rows) that changes whenever the
/// day's rows can have changed. Chunks are only ever added (append-only store), so a
/// late row for an old day adds a chunk to that day and changes its fingerprint.
struct ExportPlan {
    /// One time window of one device to read with a range query; windows of a device-day
    /// partition its time span.
    struct Window {
        var device: String
        var from: Int64
        var toInclusive: Int64
    }

    /// One UTC day of the export.
    struct Day {
        var day: Int64
        var fingerprint: UInt64
        var rows: Int
        /// Windows in device-byte order, then time order.
        var windows: [Window]
    }

    /// Selected devices with their fields, in device-byte order.
    var devices: [DeviceInfo]
    /// Days holding selected rows, ascending.
    var days: [Day]

    /// Builds the plan for `selection`; `windowRows` bounds the chunk rows per window.
    static func make(store: Store, selection: ExportSelection, windowRows: Int) throws -> ExportPlan {
        let wanted = Set(selection.devices)
        let devices = try store.devices().filter { wanted.isEmpty || wanted.contains($0.device) }
        guard let bounds = selection.bounds else { return ExportPlan(devices: devices, days: []) }
        let names = Set(devices.map(\.device))
        let perDevice: [(String, [IndexChunkEntry])] = try store.withContext { context in
            try context.index.summaries(policy: context.policy)
                .filter { names.contains($0.device) }
                .sorted { $0.device.precedesInBytes($1.device) }
                .map { ($0.device, $0.chunks) }
        }
        var days: [Int64: Day] = [:]
        var chunksByDay: [Int64: [(String, [IndexChunkEntry])]] = [:]
        for (device, chunks) in perDevice {
            var byDay: [Int64: [IndexChunkEntry]] = [:]
            for chunk in chunks where chunk.maxTimestamp >= bounds.low && chunk.minTimestamp <= bounds.high {
                let first = ExportDay.of(max(chunk.minTimestamp, bounds.low))
                let last = ExportDay.of(min(chunk.maxTimestamp, bounds.high))
                for day in first...last { byDay[day, default: []].append(chunk) }
            }
            for (day, list) in byDay { chunksByDay[day, default: []].append((device, list)) }
        }
        for (day, list) in chunksByDay {
            var hasher = FNV1a()
            var rows = 0
            var windows: [Window] = []
            let (dayLow, dayHigh) = ExportDay.bounds(day)
            let low = max(dayLow, bounds.low), high = min(dayHigh, bounds.high)
            for (device, chunks) in list.sorted(by: { $0.0.precedesInBytes($1.0) }) {
                hasher.add(Array(device.utf8))
                for c in chunks.sorted(by: { $0.sequence < $1.sequence }) {
                    for v in [Int64(bitPattern: c.sequence), Int64(c.offset), Int64(c.length), Int64(c.rowCount), Int64(c.day)] {
                        hasher.add(v)
                    }
                    rows += c.rowCount
                }
                windows += Self.windows(device: device, chunks: chunks, low: low, high: high, windowRows: windowRows)
            }
            days[day] = Day(day: day, fingerprint: hasher.value, rows: rows, windows: windows)
        }
        return ExportPlan(devices: devices, days: days.values.sorted { $0.day < $1.day })
    }

    /// Cuts [low, high] at chunk starts so that each window's chunks hold about `windowRows` rows.
    private static func windows(device: String, chunks: [IndexChunkEntry], low: Int64, high: Int64, windowRows: Int) -> [Window] {
        var result: [Window] = []
        var start = low, rows = 0
        for chunk in chunks.sorted(by: { $0.minTimestamp < $1.minTimestamp }) {
            if rows >= windowRows && chunk.minTimestamp > start && chunk.minTimestamp <= high {
                result.append(Window(device: device, from: start, toInclusive: chunk.minTimestamp - 1))
                start = chunk.minTimestamp
                rows = 0
            }
            rows += chunk.rowCount
        }
        result.append(Window(device: device, from: start, toInclusive: high))
        return result
    }
}

/// 64-bit FNV-1a, for fingerprints that only need to change when their input does.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: [UInt8]) {
        for b in bytes {
            value ^= UInt64(b)
            value = value &* 0x0000_0100_0000_01b3
        }
        add(Int64(bytes.count))
    }

    mutating func add(_ v: Int64) {
        var x = UInt64(bitPattern: v)
        for _ in 0..<8 {
            value ^= x & 0xff
            value = value &* 0x0000_0100_0000_01b3
            x >>= 8
        }
    }
}
