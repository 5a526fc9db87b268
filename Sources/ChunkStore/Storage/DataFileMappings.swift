import Synchronization

/// The committed bytes of a store's data files, mapped read-only and kept between the
/// store's queries, so that reading a chunk record costs neither a copy out of the page
/// cache nor, after the first query that touched its pages, a page fault.
///
/// A file is named by its day and number (a rewrite of a day gets a new number), and a
/// mapping covers the bytes its manifest committed when it was made: a query needing a
/// record past them (the newest day grew) maps the file again. Each mapping is a
/// ``MappedRegion`` that queries hold while they read it, so replacing or dropping one
/// never unmaps bytes in use. Mappings of files a newer manifest no longer lists are
/// dropped when a query first sees that manifest (a mapping keeps a deleted file's blocks
/// allocated), and all of them when the store closes. At most ``capacity`` files stay
/// mapped; past that the cache starts over.
///
/// Only committed bytes present in the file are mapped. A writer cuts a data file back to
/// its committed length at most (never below), so a mapped page never lies past the end
/// of its file, as long as nothing outside the store truncates it (the same assumption
/// the mapped index segments make).
final class DataFileMappings: Sendable {
    private struct Mapping {
        var number: UInt64
        var region: MappedRegion
    }

    private struct State {
        var mappings: [Int32: Mapping] = [:]
        /// The newest manifest generation the mappings were pruned for.
        var generation: UInt64?
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 512) {
        self.capacity = capacity
    }

    /// The mapping of `file`'s committed bytes, covering at least `end` bytes; nil when
    /// the file holds fewer (damaged: the caller reads the record and reports it), is
    /// empty, or cannot be mapped.
    ///
    /// With `fresh`, the file is mapped again whatever the cache holds, and the new mapping
    /// replaces the old: for a reader that found bytes it did not expect there (the file
    /// was replaced under the same name, as repair does when it rewrites a damaged file).
    func region(_ file: Manifest.DataFileState, covering end: Int, in snapshot: StoreSnapshot,
                fresh: Bool = false) -> MappedRegion? {
        let found = state.withLock { state -> MappedRegion? in
            if state.generation.map({ $0 < snapshot.manifest.generation }) ?? true {
                state.generation = snapshot.manifest.generation
                state.mappings = state.mappings.filter { day, mapping in
                    snapshot.manifest.dataFile(ofDay: day)?.number == mapping.number
                }
            }
            guard !fresh, let mapping = state.mappings[file.day], mapping.number == file.number,
                  mapping.region.bytes.count >= end else { return nil }
            return mapping.region
        }
        if let found { return found }
        guard let region = Self.map(file, snapshot: snapshot), region.bytes.count >= end else { return nil }
        state.withLock { state in
            // Another query may have mapped it meanwhile: keep the longer mapping.
            if !fresh, let existing = state.mappings[file.day], existing.number == file.number,
               existing.region.bytes.count >= region.bytes.count { return }
            if state.mappings[file.day] == nil, state.mappings.count >= capacity { state.mappings.removeAll() }
            state.mappings[file.day] = Mapping(number: file.number, region: region)
        }
        return region
    }

    /// The number of the file mapped for `day`, if one is (for tests).
    func mappedFile(ofDay day: Int32) -> UInt64? {
        state.withLock { $0.mappings[day]?.number }
    }

    /// Drops every mapping (regions in use stay mapped until their readers finish).
    func removeAll() {
        state.withLock { $0 = State() }
    }

    /// Maps the committed bytes that `file` holds; nil when there are none or mapping fails.
    static func map(_ file: Manifest.DataFileState, snapshot: StoreSnapshot) -> MappedRegion? {
        let fs = snapshot.fileSystem
        guard file.committedLength > 0, let id = try? fs.open(snapshot.layout.dataFile(file), .read) else { return nil }
        defer { fs.close(id) }
        guard let size = try? fs.size(id), min(size, file.committedLength) > 0 else { return nil }
        return try? fs.map(id, length: min(size, file.committedLength))
    }
}
