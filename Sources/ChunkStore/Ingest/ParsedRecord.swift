/// One parsed input line, in a shape that a parser can refill for every line
/// without reallocating: the `fields` array keeps its capacity between lines and
/// the strings are interned by the parser, so the hot path does not allocate.
package struct ParsedRecord {
    /// The device id (already validated: 1 to 255 UTF-8 bytes, no control characters).
    package var device: String
    /// A number the parser gives every distinct device (its interned name's id), or -1:
    /// lets the caller find its per-device state without hashing the name.
    package var deviceID = -1
    /// Nanoseconds since the Unix epoch; `nil` when the line had no timestamp,
    /// in which case the caller substitutes the ingest time.
    package var timestamp: Int64?
    /// Field name and value pairs, each name at most once, in input order.
    package var fields: [(name: String, value: FieldValue)]

    /// An empty record, meant to be created once and passed to `parse` for every line.
    package init() {
        device = ""
        timestamp = nil
        fields = []
        fields.reserveCapacity(16)
    }

    /// Empties the record for the next line, keeping the field array's storage.
    package mutating func reset() {
        device = ""
        deviceID = -1
        timestamp = nil
        // One element at a time: removeAll(keepingCapacity:) on an array of tuples goes
        // through the generic replaceSubrange and destroys each tuple via its metadata.
        while !fields.isEmpty { fields.removeLast() }
    }

    /// Sets `name` to `value`; a name already present is overwritten (last wins),
    /// which is how duplicate keys on one input line are resolved.
    mutating func set(_ name: String, _ value: FieldValue) {
        for i in fields.indices where fields[i].name == name {
            fields[i].value = value
            return
        }
        fields.append((name: name, value: value))
    }
}
