/// One consistent view of a store: a committed manifest generation with its index, plus
/// the rows logged after it (the writer's head, or the head a reader rebuilt from the WAL
/// tail). Immutable: queries read it outside the store's lock, while the writer goes on.
struct StoreSnapshot {
    let layout: StoreLayout
    let fileSystem: any FileSystem
    let manifest: Manifest
    let index: IndexSet
    /// Rows logged after the committed chunks; nil when there are none.
    let head: Head?
    /// Summaries of chunks read by earlier queries of the same store; nil: none kept.
    var summaries: ChunkSummaryCache? = nil
    /// Rows of chunks that earlier downsampling queries of the same store decoded; nil: none kept.
    var decodedChunks: DecodedChunkCache? = nil
    /// Data files mapped by earlier queries of the same store; nil: each query maps its own.
    var mappings: DataFileMappings? = nil

    var policy: DuplicatePolicy { manifest.duplicatePolicy }

    /// The path of the data file holding `day`'s chunks in this generation.
    func dataFilePath(day: Int32) throws -> String {
        guard let file = manifest.dataFile(ofDay: day) else {
            throw StoreError.corrupt(path: layout.manifest, offset: 0,
                                     reason: "the index lists chunks of \(StoreLayout.dayName(day)) but the manifest has no data file for that day")
        }
        return layout.dataFile(file)
    }
}
