/// A read-only view of a store: the latest committed manifest generation and its index.
/// Refreshed before each query, so a long-lived reader sees new chunks as they are committed.
final class ReaderState {
    let layout: StoreLayout
    let fileSystem: any FileSystem
    private(set) var manifest: Manifest
    private(set) var index: IndexSet

    init(path: String, fileSystem: any FileSystem) throws {
        layout = StoreLayout(root: path)
        self.fileSystem = fileSystem
        guard fileSystem.exists(layout.manifest) else { throw StoreError.storeNotFound(path: path) }
        (manifest, index) = try ReaderState.load(layout, fileSystem, reusing: nil)
    }

    /// Picks up the newest committed generation, if it changed.
    func refresh() throws {
        let current = try Manifest.load(from: layout.root, fileSystem: fileSystem)
        guard current.generation != manifest.generation else { return }
        (manifest, index) = try ReaderState.load(layout, fileSystem, reusing: index)
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

    var context: QueryContext {
        QueryContext(layout: layout, fileSystem: fileSystem, manifest: manifest, index: index, head: nil)
    }
}
