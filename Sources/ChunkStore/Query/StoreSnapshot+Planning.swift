/// How a query plans its reads over a snapshot: which pieces (sealed chunks, head rows)
/// hold a device's rows in a time range, clustered by overlap.
extension StoreSnapshot {
    /// A source of rows for one device: a sealed chunk or a head buffer.
    enum Piece {
        case chunk(IndexChunkEntry)
        case buffered(ColumnarRows)

        /// A chunk's rows, once decoded, have strictly increasing timestamps: the chunk
        /// decoder rejects anything else.
        var isSortedChunk: Bool {
            if case .chunk = self { return true }
            return false
        }
    }

    /// Pieces whose time spans overlap, to be merged together; clusters never overlap
    /// each other and come in ascending time order.
    struct Cluster {
        /// Members in arrival order: chunks by sequence, then head rows.
        var pieces: [Piece] = []
        /// The first and last timestamp of each member.
        var spans: [ClosedRange<Int64>] = []
        var minTimestamp: Int64
        var maxTimestamp: Int64
    }

    /// A piece's time span and arrival order while clustering; `ref` names the piece: a
    /// chunk of the device's index list when at least 0, else head buffer `-1 - ref`.
    /// (Small, so that sorting moves 32 bytes, not pieces.)
    private struct Span {
        var min: Int64
        var max: Int64
        var order: UInt64
        var ref: Int
    }

    /// The device's pieces that may hold rows in [from, toInclusive], clustered.
    func clusters(device: String, from: Int64, toInclusive: Int64) throws -> [Cluster] {
        var clusters: [Cluster] = []
        try forEachCluster(device: device, from: from, toInclusive: toInclusive, lone: { _ in false }) { clusters.append($0) }
        return clusters
    }

    /// Calls `body` with each cluster of the device's pieces that may hold rows in
    /// [from, toInclusive], in ascending time order. A chunk that overlaps nothing else is
    /// first offered to `lone`; when that returns true it has been dealt with, and no
    /// cluster (with its two arrays) is built for it.
    func forEachCluster(device: String, from: Int64, toInclusive: Int64, lone: (IndexChunkEntry) throws -> Bool,
                        _ body: (Cluster) throws -> Void) throws {
        let chunks = try index.chunks(of: device)
        let buffers = head?.buffers(of: device) ?? []
        var spans: [Span] = []
        spans.reserveCapacity(chunks.count + buffers.count)
        for (i, chunk) in chunks.enumerated() where chunk.maxTimestamp >= from && chunk.minTimestamp <= toInclusive {
            spans.append(Span(min: chunk.minTimestamp, max: chunk.maxTimestamp, order: chunk.sequence, ref: i))
        }
        for (b, buffer) in buffers.enumerated() {
            let rows = buffer.rows
            guard let low = rows.timestamps.min(), let high = rows.timestamps.max(),
                  high >= from, low <= toInclusive else { continue }
            spans.append(Span(min: low, max: high, order: .max, ref: -1 - b))
        }
        spans.sort { $0.min != $1.min ? $0.min < $1.min : $0.order < $1.order }
        func piece(_ span: Span) -> Piece {
            span.ref >= 0 ? .chunk(chunks[span.ref]) : .buffered(buffers[-1 - span.ref].rows)
        }
        var start = 0
        while start < spans.count {
            var end = start + 1
            var high = spans[start].max
            while end < spans.count, spans[end].min <= high {
                high = Swift.max(high, spans[end].max)
                end += 1
            }
            defer { start = end }
            if end - start == 1, spans[start].ref >= 0, try lone(chunks[spans[start].ref]) { continue }
            var cluster = Cluster(minTimestamp: spans[start].min, maxTimestamp: high)
            if end - start == 1 {
                cluster.pieces = [piece(spans[start])]
                cluster.spans = [spans[start].min...spans[start].max]
            } else {
                let members = spans[start..<end].sorted { $0.order < $1.order }
                cluster.pieces = members.map(piece)
                cluster.spans = members.map { $0.min...$0.max }
            }
            try body(cluster)
        }
    }

    /// Field types of a device, from the index and the head.
    func schema(of device: String) throws -> [String: FieldType] {
        var schema = try index.schema(of: device)
        for (_, rows) in head?.buffers(of: device) ?? [] {
            for column in rows.columns { schema[column.name] = column.type }
        }
        return schema
    }

    /// Every device in the store and the head, sorted by name bytes.
    func deviceNames() throws -> [String] {
        guard let head, !head.buffers.isEmpty else { return try index.deviceNames() }
        var names = Set(try index.deviceNames())
        for key in head.buffers.keys { names.insert(key.device) }
        return names.sorted { $0.precedesInBytes($1) }
    }
}

extension DataFileReader {
    /// Decodes the rows of a piece, keeping the given fields (all when nil). With `cached`
    /// the store's ``DecodedChunkCache`` is asked first and given what is decoded.
    func rows(of piece: StoreSnapshot.Piece, fields: [String]?, cached: Bool = false) throws -> ColumnarRows {
        switch piece {
        case .buffered(let rows):
            return rows
        case .chunk(let entry):
            chunksDecoded += 1
            let cache = cached ? snapshot.decodedChunks : nil
            let key = DecodedChunkCache.Key(day: entry.day, offset: entry.offset, sequence: entry.sequence, fields: fields)
            if let rows = cache?.rows(key) { return rows }
            let rows = try withRecord(entry) { record, header in
                do {
                    return try ChunkDecoder.decodeRows(record, header: header, fields: fields)
                } catch let error as FormatError {
                    throw error.inFile((try? snapshot.dataFilePath(day: entry.day)) ?? snapshot.layout.dataDirectory, at: entry.offset)
                }
            }
            cache?.insert(rows, for: key)
            return rows
        }
    }
}
