/// One input format's parser. ``IngestCore`` runs the same loop for every format behind
/// it (specialised per parser, so a line costs no dynamic dispatch): line protocol, CSV
/// and JSON lines differ only here.
protocol RecordParser {
    /// Parses one line (without its newline) into `record`, which it resets first. Returns
    /// false for a line that holds no record (blank, a comment, a CSV header); throws for a
    /// bad line, naming `lineNumber`. A thrown error marked ``IngestError/isFatal`` means
    /// nothing after it can be read (a CSV header that does not parse).
    mutating func parse(_ line: UnsafeRawBufferPointer, lineNumber: Int, into record: inout ParsedRecord) throws(IngestError) -> Bool

    /// The cells of the last parsed line that were left out as bad while its good ones
    /// were kept (CSV's `keepGoodCells`); empty otherwise.
    var badCells: [IngestError] { get }

    /// Whether the format has one number type (JSON, CSV): writers drop the `.0` of whole
    /// floats, so an integer literal for a float field is that float, not a type error.
    static var numbersHaveOneType: Bool { get }

    /// Line protocol's fast path: parses a line of the common shape straight into `row`;
    /// false when the line needs ``parse(_:lineNumber:into:)``. Other formats have none.
    mutating func parseFast(_ line: UnsafeRawBufferPointer, into row: inout LineProtocolRow) -> Bool

    /// The device name behind a fast-path device id.
    func deviceName(of id: Int) -> String?
}

extension RecordParser {
    var badCells: [IngestError] { [] }

    @inline(__always)
    mutating func parseFast(_ line: UnsafeRawBufferPointer, into row: inout LineProtocolRow) -> Bool { false }

    func deviceName(of id: Int) -> String? { nil }
}

extension LineProtocolParser: RecordParser {
    static var numbersHaveOneType: Bool { false }
}

extension JSONLinesParser: RecordParser {
    static var numbersHaveOneType: Bool { true }
}

extension CSVParser: RecordParser {
    static var numbersHaveOneType: Bool { true }
}
