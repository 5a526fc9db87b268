extension Array where Element: BitwiseCopyable {
    /// Appends `count` elements that `body` writes through a pointer to their storage,
    /// without zero-filling them first: decoders fill every slot, and filling twice
    /// costs as much as the decoding itself. `body` must write all `count` slots
    /// unless it throws, in which case nothing is appended.
    mutating func appendUninitialized(count: Int, _ body: (UnsafeMutablePointer<Element>) throws -> Void) throws {
        guard count > 0 else { return }
        let filled = try Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            try body(buffer.baseAddress!)
            initialized = count
        }
        if isEmpty { self = filled } else { append(contentsOf: filled) }
    }
}
