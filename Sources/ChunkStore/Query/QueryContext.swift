/// What a query reads: one consistent set of committed chunks (an index generation) plus,
/// in the writer's process, the rows still in its head.
struct QueryContext {
    let layout: StoreLayout
    let fileSystem: any FileSystem
    let manifest: Manifest
    let index: IndexSet
    /// The writer's unsealed rows; nil for a reader.
    let head: Head?

    var policy: DuplicatePolicy { manifest.duplicatePolicy }

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
        var members: [(order: UInt64, piece: Piece)] = []
        var current: Cluster?
        for span in spans {
            if var open = current, span.min <= open.maxTimestamp {
                open.maxTimestamp = max(open.maxTimestamp, span.max)
                current = open
                members.append((span.order, span.piece))
                continue
            }
            if var open = current {
                open.pieces = members.sorted { $0.order < $1.order }.map(\.piece)
                clusters.append(open)
            }
            current = Cluster(minTimestamp: span.min, maxTimestamp: span.max)
            members = [(span.order, span.piece)]
        }
        if var open = current {
            open.pieces = members.sorted { $0.order < $1.order }.map(\.piece)
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

    /// The path of the data file holding `day`'s chunks in this generation.
    func dataFilePath(day: Int32) throws -> String {
        guard let file = manifest.dataFile(ofDay: day) else {
            throw StoreError.corrupt(path: layout.manifest, offset: 0,
                                     reason: "the index lists chunks of \(StoreLayout.dayName(day)) but the manifest has no data file for that day")
        }
        return layout.dataFile(file)
    }

    /// Every device in the store and the head, sorted by name bytes.
    func deviceNames() throws -> [String] {
        var names = Set(try index.deviceNames())
        for key in head?.buffers.keys ?? [:].keys { names.insert(key.device) }
        return names.sorted { $0.precedesInBytes($1) }
    }
}

/// Open data files for the length of one query.
final class DataFileReader {
    private let context: QueryContext
    /// Open data files by day, with their paths (built once: a query reads many chunks
    /// of each day).
    private var open: [Int32: (file: FileID, path: String)] = [:]

    init(_ context: QueryContext) {
        self.context = context
    }

    deinit {
        for entry in open.values { context.fileSystem.close(entry.file) }
    }

    /// Reads and checks one chunk record.
    func read(_ entry: IndexChunkEntry) throws -> (record: [UInt8], header: ChunkHeader) {
        let file: (file: FileID, path: String)
        if let cached = open[entry.day] { file = cached } else {
            let path = try context.dataFilePath(day: entry.day)
            file = (try context.fileSystem.open(path, .read), path)
            open[entry.day] = file
        }
        return try DataFile.readChunk(file.file, path: file.path, entry: entry, fileSystem: context.fileSystem)
    }

    /// Decodes the rows of a piece, keeping the given fields (all when nil).
    func rows(of piece: QueryContext.Piece, fields: [String]?) throws -> ColumnarRows {
        switch piece {
        case .buffered(let rows):
            return rows
        case .chunk(let entry):
            let (record, header) = try read(entry)
            do {
                return try record.withUnsafeBytes { try ChunkDecoder.decodeRows($0, header: header, fields: fields) }
            } catch let error as FormatError {
                throw error.inFile((try? context.dataFilePath(day: entry.day)) ?? context.layout.dataDirectory, at: entry.offset)
            }
        }
    }
}
