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

    /// A piece with its time span and arrival order, while clustering.
    private struct Span {
        var min: Int64
        var max: Int64
        var order: UInt64
        var piece: Piece
    }

    /// The device's pieces that may hold rows in [from, toInclusive], clustered.
    func clusters(device: String, from: Int64, toInclusive: Int64) throws -> [Cluster] {
        var spans: [Span] = []
        for chunk in try index.chunks(of: device) where chunk.maxTimestamp >= from && chunk.minTimestamp <= toInclusive {
            spans.append(Span(min: chunk.minTimestamp, max: chunk.maxTimestamp, order: chunk.sequence, piece: .chunk(chunk)))
        }
        for (_, rows) in head?.buffers(of: device) ?? [] {
            guard let low = rows.timestamps.min(), let high = rows.timestamps.max(),
                  high >= from, low <= toInclusive else { continue }
            spans.append(Span(min: low, max: high, order: .max, piece: .buffered(rows)))
        }
        spans.sort { $0.min != $1.min ? $0.min < $1.min : $0.order < $1.order }
        var clusters: [Cluster] = []
        clusters.reserveCapacity(spans.count)
        var start = 0
        while start < spans.count {
            var end = start + 1
            var high = spans[start].max
            while end < spans.count, spans[end].min <= high {
                high = Swift.max(high, spans[end].max)
                end += 1
            }
            var cluster = Cluster(minTimestamp: spans[start].min, maxTimestamp: high)
            if end - start == 1 {
                cluster.pieces = [spans[start].piece]
                cluster.spans = [spans[start].min...spans[start].max]
            } else {
                let members = spans[start..<end].sorted { $0.order < $1.order }
                cluster.pieces = members.map(\.piece)
                cluster.spans = members.map { $0.min...$0.max }
            }
            clusters.append(cluster)
            start = end
        }
        return clusters
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
        var names = Set(try index.deviceNames())
        for key in head?.buffers.keys ?? [:].keys { names.insert(key.device) }
        return names.sorted { $0.precedesInBytes($1) }
    }
}

extension DataFileReader {
    /// Decodes the rows of a piece, keeping the given fields (all when nil).
    func rows(of piece: StoreSnapshot.Piece, fields: [String]?) throws -> ColumnarRows {
        switch piece {
        case .buffered(let rows):
            return rows
        case .chunk(let entry):
            chunksDecoded += 1
            let (record, header) = try read(entry)
            do {
                return try record.withUnsafeBytes { try ChunkDecoder.decodeRows($0, header: header, fields: fields) }
            } catch let error as FormatError {
                throw error.inFile((try? snapshot.dataFilePath(day: entry.day)) ?? snapshot.layout.dataDirectory, at: entry.offset)
            }
        }
    }
}
