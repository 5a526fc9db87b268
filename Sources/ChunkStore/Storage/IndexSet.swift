/// The live index segments of one manifest generation, answering per-device questions
/// across all of them. Immutable: a commit builds a new set.
final class IndexSet: @unchecked Sendable {
    /// Oldest first; a later segment holds later-sealed chunks.
    let segments: [IndexSegment]

    init(segments: [IndexSegment]) {
        self.segments = segments
    }

    /// Opens the segments a manifest lists, reusing already open ones.
    convenience init(manifest: Manifest, layout: StoreLayout, fileSystem: any FileSystem, reusing old: IndexSet? = nil) throws {
        var opened: [IndexSegment] = []
        for number in manifest.indexSegments {
            if let existing = old?.segments.first(where: { $0.number == number }) {
                opened.append(existing)
            } else {
                opened.append(try IndexSegment(path: layout.indexSegment(number), number: number, fileSystem: fileSystem))
            }
        }
        self.init(segments: opened)
    }

    /// Field types of a device over all segments.
    func schema(of device: String) throws -> [String: FieldType] {
        var schema: [String: FieldType] = [:]
        for segment in segments {
            guard let entry = try segment.findDevice(device) else { continue }
            for field in try segment.fields(of: entry) { schema[field.name] = field.type }
        }
        return schema
    }

    /// The device's chunks from every segment, each with its segment position, in sequence order.
    func chunks(of device: String) throws -> [IndexChunkEntry] {
        var all: [IndexChunkEntry] = []
        for segment in segments {
            guard let entry = try segment.findDevice(device) else { continue }
            all.append(contentsOf: try segment.chunks(of: entry))
        }
        return all
    }

    /// Highest WAL LSN sealed into a chunk of this device-day (0: none).
    func sealedLSN(device: String, day: Int32) throws -> UInt64 {
        try chunks(of: device).filter { $0.day == day }.map(\.walLSN).max() ?? 0
    }

    /// The device's latest row over all segments, folded in sealing order.
    func latest(of device: String, policy: DuplicatePolicy) throws -> LatestValues? {
        var result: LatestValues?
        for segment in segments {
            guard let entry = try segment.findDevice(device) else { continue }
            let latest = try segment.latest(of: entry, fields: try segment.fields(of: entry))
            if result == nil { result = latest } else { result?.absorb(latest, policy: policy) }
        }
        return result
    }

    /// The latest row of every device, sorted by name bytes: one pass over each segment's
    /// device table, merged across segments by name (each table is sorted) and folded in
    /// sealing order. No per-device searches, and a String only per device in the output.
    func allLatest(policy: DuplicatePolicy) throws -> [(device: String, latest: LatestValues)] {
        var positions = [Int](repeating: 0, count: segments.count)
        var entries = try segments.map { $0.deviceCount > 0 ? try $0.device(at: 0) : nil }
        var caches = [(bytes: UnsafeRawBufferPointer, fields: [FieldDescriptor])?](repeating: nil, count: segments.count)
        var result: [(device: String, latest: LatestValues)] = []
        result.reserveCapacity(segments.map(\.deviceCount).max() ?? 0)
        while true {
            var smallest: Int?
            for s in segments.indices {
                guard let entry = entries[s] else { continue }
                if let best = smallest, let bestEntry = entries[best],
                   compareBytes(try segments[s].nameBytes(of: entry), try segments[best].nameBytes(of: bestEntry)) >= 0 {
                    continue
                }
                smallest = s
            }
            guard let first = smallest, let firstEntry = entries[first] else { break }
            let name = try segments[first].nameBytes(of: firstEntry)
            var latest: LatestValues?
            // Older segments first: a later segment's rows arrived later.
            for s in segments.indices {
                guard let entry = entries[s] else { continue }
                if s != first, compareBytes(try segments[s].nameBytes(of: entry), name) != 0 { continue }
                let values = try segments[s].latest(of: entry, fields: try segments[s].fields(of: entry, cache: &caches[s]))
                if latest == nil { latest = values } else { latest?.absorb(values, policy: policy) }
                positions[s] += 1
                entries[s] = positions[s] < segments[s].deviceCount ? try segments[s].device(at: positions[s]) : nil
            }
            if let latest { result.append((try segments[first].name(of: firstEntry), latest)) }
        }
        return result
    }

    /// Every device over all segments, merged, sorted by name bytes.
    func summaries(policy: DuplicatePolicy) throws -> [IndexDeviceSummary] {
        var byName: [String: IndexDeviceSummary] = [:]
        for segment in segments {
            for i in 0..<segment.deviceCount {
                let summary = try segment.summary(of: try segment.device(at: i))
                if byName[summary.device] == nil { byName[summary.device] = summary } else {
                    byName[summary.device]?.absorb(summary, policy: policy)
                }
            }
        }
        return byName.values.sorted { $0.device.precedesInBytes($1.device) }
    }

    /// Device names over all segments, sorted by bytes.
    func deviceNames() throws -> [String] {
        // A segment lists its devices sorted by name bytes (its binary search relies on
        // it), so one segment's list is the answer as it stands.
        func names(_ segment: IndexSegment) throws -> [String] {
            try (0..<segment.deviceCount).map { try segment.name(of: try segment.device(at: $0)) }
        }
        if segments.count == 1 { return try names(segments[0]) }
        var all = Set<String>()
        for segment in segments { all.formUnion(try names(segment)) }
        return all.sorted { $0.precedesInBytes($1) }
    }
}
