/// A read-only view of a store: the latest committed manifest generation, its index, and
/// the rows the writer has logged in the WAL beyond what those chunks hold. Refreshed before
/// each query, so a long-lived reader sees new rows as soon as the writer has appended them.
/// Only used under its `Store`'s mutex, hence `@unchecked Sendable`.
final class ReaderState: @unchecked Sendable {
    let layout: StoreLayout
    let fileSystem: any FileSystem
    private(set) var manifest: Manifest
    private(set) var index: IndexSet
    private let walTail: WALTail
    /// The head built from the WAL tail, and the (generation, tail version) it was built for.
    private var head = Head()
    private var headBuiltFor: (generation: UInt64, tailVersion: Int)?

    init(path: String, fileSystem: any FileSystem) throws {
        layout = StoreLayout(root: path)
        self.fileSystem = fileSystem
        guard fileSystem.exists(layout.manifest) else { throw StoreError.storeNotFound(path: path) }
        (manifest, index) = try ReaderState.load(layout, fileSystem, reusing: nil)
        walTail = WALTail(directory: layout.walDirectory, fileSystem: fileSystem)
        try refresh()
    }

    /// Picks up the newest committed generation, if it changed, and the WAL written since.
    ///
    /// The writer deletes a WAL segment only after committing a manifest whose chunks hold
    /// its rows. So if the generation is the same before and after reading the WAL, every
    /// row the WAL held when the read began was either read or is in those chunks; if it
    /// moved, a segment may have gone unread, and the whole step is repeated.
    func refresh() throws {
        var attempt = 0
        while true {
            let current = try Manifest.load(from: layout.root, fileSystem: fileSystem)
            if current.generation != manifest.generation {
                (manifest, index) = try ReaderState.load(layout, fileSystem, reusing: index)
            }
            try walTail.update()
            let after = try Manifest.load(from: layout.root, fileSystem: fileSystem)
            attempt += 1
            if after.generation == manifest.generation || attempt >= 20 { break }
        }
        if headBuiltFor?.generation != manifest.generation || headBuiltFor?.tailVersion != walTail.version {
            head = try walTail.head(sealedBy: index)
            headBuiltFor = (manifest.generation, walTail.version)
        }
    }

    /// The writer deletes index segments a newer manifest no longer lists; if one vanishes
    /// between reading the manifest and opening it, read the manifest again.
    private static func load(_ layout: StoreLayout, _ fs: any FileSystem, reusing old: IndexSet?) throws -> (Manifest, IndexSet) {
        var attempt = 0
        while true {
            let manifest = try Manifest.load(from: layout.root, fileSystem: fs)
            do {
                return (manifest, try IndexSet(manifest: manifest, layout: layout, fileSystem: fs, reusing: old))
            } catch let error as StoreError {
                attempt += 1
                if attempt >= 20 { throw error }
                if case .io = error { continue }
                if case .corrupt = error, !fs.exists(layout.manifest) { continue }
                let again = try Manifest.load(from: layout.root, fileSystem: fs)
                if again.generation == manifest.generation { throw error }
            }
        }
    }

    var context: StoreSnapshot {
        StoreSnapshot(layout: layout, fileSystem: fileSystem, manifest: manifest, index: index,
                     head: head.rowCount > 0 ? head : nil)
    }
}
