extension String {
    /// Unsigned byte-wise order of the UTF-8 encodings: the order device and field names
    /// have on disk. (Swift's `<` compares by Unicode canonical equivalence instead, and
    /// the generic `utf8.lexicographicallyPrecedes` is several times slower.)
    package func precedesInBytes(_ other: String) -> Bool {
        var a = self
        var b = other
        return a.withUTF8 { pa in
            b.withUTF8 { pb in compareBytes(UnsafeRawBufferPointer(pa), UnsafeRawBufferPointer(pb)) < 0 }
        }
    }
}
