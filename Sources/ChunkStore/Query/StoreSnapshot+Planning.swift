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

    /// The device's pieces that may hold rows in [from, toInclusive], clustered.
    func clusters(device: String, from: Int64, toInclusive: Int64) throws -> [Cluster] {
        var spans: [(min: Int64, max: Int64, order: UInt64, piece: Piece)] = []
        for chunk in try index.chunks(of: device) where chunk.maxTimestamp >= from && chunk.minTimestamp <= toInclusive {
            spans.append((chunk.minTimestamp, chunk.maxTimestamp, chunk.sequence, .chunk(chunk)))
        }
        for (_, rows) in head?.buffers(of: device) ?? [] {
            guard let low = rows.timestamps.min(), let high = rows.timestamps.max(),
                  high >= from, low <= toInclusive else { continue }
            spans.append((low, high, .max, .buffered(rows)))
        }
        spans.sort { ($0.min, $0.order) < ($1.min, $1.order) }
        var clusters: [Cluster] = []
        var members: [(order: UInt64, piece: Piece, span: ClosedRange<Int64>)] = []
        var current: Cluster?
        for span in spans {
            if var open = current, span.min <= open.maxTimestamp {
                open.maxTimestamp = max(open.maxTimestamp, span.max)
                current = open
                members.append((span.order, span.piece, span.min...span.max))
                continue
            }
            if var open = current {
                members.sort { $0.order < $1.order }
                open.pieces = members.map(\.piece)
                open.spans = members.map(\.span)
                clusters.append(open)
            }
            current = Cluster(minTimestamp: span.min, maxTimestamp: span.max)
            members = [(span.order, span.piece, span.min...span.max)]
        }
        if var open = current {
            members.sort { $0.order < $1.order }
            open.pieces = members.map(\.piece)
            open.spans = members.map(\.span)
            clusters.append(open)
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
