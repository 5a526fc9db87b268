/// What an export reads, worked out from the index without decoding a chunk: the
/// selected devices with their fields, and per UTC day the chunks that hold rows of it,
/// cut into read windows of about a row group each, plus a fingerprint of those chunks
/// (their identities: sequence, file offset, length, rows) and of the unsealed head rows
/// (count and span per day) that changes whenever the day's rows can have changed
/// (SPEC §11). Chunks are only ever added (append-only store), so a late row for an old
/// day adds a chunk or head rows to that day and changes its fingerprint.
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
        // Names and fields only: exact row counts would merge every cluster of late rows.
        let devices = try store.deviceSchemas()
            .filter { wanted.isEmpty || wanted.contains($0.device) }
        guard let bounds = selection.bounds else { return ExportPlan(devices: devices, days: []) }
        let names = Set(devices.map(\.device))
        // Sealed chunks from the index, and rows still in the writer's head (which readers
        // rebuild from the WAL): both are read by the windows' range queries.
        let perDevice: [(device: String, chunks: [IndexChunkEntry], head: [HeadPiece])] = try store.withContext { context in
            var head: [String: [HeadPiece]] = [:]
            for (key, buffer) in context.head?.buffers ?? [:] where names.contains(key.device) {
                let ts = buffer.rows.timestamps
                guard let low = ts.min(), let high = ts.max() else { continue }
                head[key.device, default: []].append(HeadPiece(day: Int64(key.day), rows: ts.count, min: low, max: high))
            }
            var result: [(String, [IndexChunkEntry], [HeadPiece])] = []
            var seen = Set<String>()
            for summary in try context.index.summaries(policy: context.policy) where names.contains(summary.device) {
                seen.insert(summary.device)
                result.append((summary.device, summary.chunks, head[summary.device] ?? []))
            }
            for (device, pieces) in head where !seen.contains(device) { result.append((device, [], pieces)) }
            return result.sorted { $0.0.precedesInBytes($1.0) }
        }
        var days: [Int64: Day] = [:]
        var byDay: [Int64: [(device: String, chunks: [IndexChunkEntry], head: [HeadPiece])]] = [:]
        for (device, chunks, head) in perDevice {
            var mine: [Int64: (chunks: [IndexChunkEntry], head: [HeadPiece])] = [:]
            for chunk in chunks where chunk.maxTimestamp >= bounds.low && chunk.minTimestamp <= bounds.high {
                let first = ExportDay.of(max(chunk.minTimestamp, bounds.low))
                let last = ExportDay.of(min(chunk.maxTimestamp, bounds.high))
                for day in first...last { mine[day, default: ([], [])].chunks.append(chunk) }
            }
            for piece in head where piece.max >= bounds.low && piece.min <= bounds.high {
                let first = ExportDay.of(max(piece.min, bounds.low))
                let last = ExportDay.of(min(piece.max, bounds.high))
                for day in first...last { mine[day, default: ([], [])].head.append(piece) }
            }
            for (day, entry) in mine { byDay[day, default: []].append((device, entry.chunks, entry.head)) }
        }
        for (day, list) in byDay {
            var hasher = FNV1a()
            var rows = 0
            var windows: [Window] = []
            let (dayLow, dayHigh) = ExportDay.bounds(day)
            let low = max(dayLow, bounds.low), high = min(dayHigh, bounds.high)
            for (device, chunks, head) in list.sorted(by: { $0.device.precedesInBytes($1.device) }) {
                hasher.add(Array(device.utf8))
                for c in chunks.sorted(by: { $0.sequence < $1.sequence }) {
                    for v in [Int64(bitPattern: c.sequence), Int64(c.offset), Int64(c.length), Int64(c.rowCount), Int64(c.day)] {
                        hasher.add(v)
                    }
                    rows += c.rowCount
                }
                // The head only grows until it is sealed (which adds chunks), so its row
                // count and span per day change whenever its rows do.
                for piece in head.sorted(by: { $0.day < $1.day }) {
                    for v in [-1, piece.day, Int64(piece.rows), piece.min, piece.max] { hasher.add(v) }
                    rows += piece.rows
                }
                windows += Self.windows(device: device, chunks: chunks, low: low, high: high, windowRows: windowRows)
            }
            days[day] = Day(day: day, fingerprint: hasher.value, rows: rows, windows: windows)
        }
        return ExportPlan(devices: devices, days: days.values.sorted { $0.day < $1.day })
    }

    /// Unsealed rows of one device and day in the writer's head.
    struct HeadPiece {
        var day: Int64
        var rows: Int
        var min: Int64
        var max: Int64
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
