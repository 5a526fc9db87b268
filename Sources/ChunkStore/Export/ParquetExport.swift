/// Exports a store's rows as Parquet in Hive layout, `DIR/day=YYYY-MM-DD/part-00000.parquet`,
/// incrementally: a day is rewritten only when its chunks changed since the last run
/// (see ``ExportState``), or when the selection or the schema did.
public struct ParquetExport: Sendable {
    /// What one run did.
    public struct Summary: Sendable, Equatable {
        /// Days whose file was (re)written.
        public var daysWritten: Int
        /// Days left as they were.
        public var daysUnchanged: Int
        /// Days whose files were removed (no longer selected).
        public var daysRemoved: Int
        /// Rows written.
        public var rows: Int
        /// Bytes of Parquet written.
        public var bytes: Int
    }

    /// Output directory.
    public var directory: String
    /// Which rows to export.
    public var selection: ExportSelection
    /// Rows per row group (memory is bounded by about one row group).
    public var rowGroupRows: Int

    /// Creates an export of `selection` into `directory`.
    public init(directory: String, selection: ExportSelection = ExportSelection(), rowGroupRows: Int = 1 << 20) {
        self.directory = directory
        self.selection = selection
        self.rowGroupRows = max(1, rowGroupRows)
    }

    static let partName = "part-00000.parquet"
    /// Version of the fixed columns, part of the selection fingerprint so that files of an
    /// older layout are rewritten: 2 had `time_extra_ns` (0–999 ns past `time`) where 3 has
    /// the full `time_ns`.
    static let columnsVersion = 3

    /// The state file's selection fingerprint (SPEC §11): FNV-1a of the selection, the
    /// schema, the file layout and `columnsVersion`. A state written under another
    /// fingerprint makes the next run rewrite every day.
    func fingerprint(schema: ExportSchema, columnsVersion: Int = Self.columnsVersion) -> UInt64 {
        var hasher = FNV1a()
        hasher.add(Array("\(selection.key)|\(schema.key)|\(Self.partName)|rg=\(rowGroupRows)|columns=\(columnsVersion)".utf8))
        return hasher.value
    }

    /// Runs the export.
    public func run(store: Store) throws(StoreError) -> Summary {
        try StoreError.wrapping(directory) { try runUnwrapped(store: store) }
    }

    private func runUnwrapped(store: Store) throws -> Summary {
        let fs = PosixFileSystem()
        if !fs.exists(directory) { try fs.makeDirectory(directory) }
        let plan = try ExportPlan.make(store: store, selection: selection, windowRows: rowGroupRows / 2)
        let schema = try ExportSchema.of(plan.devices)
        let fingerprint = fingerprint(schema: schema)
        let statePath = directory + "/" + ExportState.fileName
        let old = fs.exists(statePath) ? ExportState.decode(try fs.readAll(statePath)) : nil
        let previous = old?.selection == fingerprint ? old?.days ?? [:] : [:]
        var state = ExportState(selection: fingerprint, days: [:])
        var summary = Summary(daysWritten: 0, daysUnchanged: 0, daysRemoved: 0, rows: 0, bytes: 0)
        // One builder for every day: its buffers are reused from one row group to the next.
        var builder = RowGroupBuilder(schema: schema, capacity: min(rowGroupRows, plan.days.map(\.rows).max() ?? 0))
        for day in plan.days {
            let entry = ExportState.DayEntry(fingerprint: day.fingerprint, rows: day.rows)
            let dayDirectory = directory + "/day=" + ExportDay.name(day.day)
            if previous[day.day] == entry && fs.exists(dayDirectory + "/" + Self.partName) {
                state.days[day.day] = entry
                summary.daysUnchanged += 1
                continue
            }
            let (rows, bytes) = try writeDay(day, builder: &builder, store: store, directory: dayDirectory, fs: fs)
            state.days[day.day] = entry
            summary.daysWritten += 1
            summary.rows += rows
            summary.bytes += bytes
        }
        // Days exported before but not selected now (or whose rows are gone) lose their files.
        for day in (old?.days.keys.map { $0 } ?? []) where state.days[day] == nil {
            let dayDirectory = directory + "/day=" + ExportDay.name(day)
            try Self.removeParts(in: dayDirectory, keeping: nil, fs: fs)
            try? fs.remove(dayDirectory)
            summary.daysRemoved += 1
        }
        try fs.writeAtomically(statePath, state.encoded(), directory: directory)
        return summary
    }

    /// Writes one day's file; returns its rows and bytes.
    private func writeDay(_ day: ExportPlan.Day, builder: inout RowGroupBuilder, store: Store, directory: String,
                          fs: PosixFileSystem) throws -> (Int, Int) {
        if !fs.exists(directory) { try fs.makeDirectory(directory) }
        let file = try ExportFileWriter(fileSystem: fs, directory: directory, name: Self.partName)
        var writer = try ParquetFileWriter(columns: builder.schema.parquetColumns) { try file.write($0) }
        for window in day.windows {
            let pieces = try store.withContext {
                try $0.exportRows(device: window.device, from: window.from, toInclusive: window.toInclusive)
            }
            for piece in pieces {
                var row = 0
                while row < piece.rowCount {
                    let n = min(piece.rowCount - row, rowGroupRows - builder.rowCount)
                    builder.append(device: window.device, piece, range: row..<(row + n))
                    row += n
                    if builder.rowCount >= rowGroupRows { try Self.flush(&builder, to: &writer) }
                }
            }
        }
        if builder.rowCount > 0 { try Self.flush(&builder, to: &writer) }
        let rows = writer.rowCount
        try writer.finish()
        try file.commit()
        try Self.removeParts(in: directory, keeping: Self.partName, fs: fs)
        return (rows, file.size)
    }

    /// Writes the builder's rows as one row group (each column chunk choosing its codec)
    /// and empties it.
    private static func flush(_ builder: inout RowGroupBuilder, to writer: inout ParquetFileWriter) throws {
        do {
            let group = builder.group()
            try writer.writeRowGroup(group.columns, rowCount: group.rows, pageBreaks: group.deviceStarts, codec: nil)
        }
        builder.reset()
    }

    /// Removes `part-*.parquet` files (and leftover temporaries) other than `keeping`.
    static func removeParts(in directory: String, keeping: String?, fs: PosixFileSystem) throws {
        guard fs.exists(directory) else { return }
        for name in try fs.list(directory) where name != keeping {
            let isPart = name.hasPrefix("part-") && name.hasSuffix(".parquet")
            let isTemp = name.hasPrefix(".part-") && name.hasSuffix(".tmp")
            if isPart || isTemp { try fs.remove(directory + "/" + name) }
        }
    }
}
