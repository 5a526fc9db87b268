/// A read position in one input line: the steps every format's scanner shares
/// (``LineCursor`` for line protocol, ``JSONCursor`` for JSON lines), each on the caller's
/// bytes with errors naming the line.
protocol ByteCursor {
    var bytes: UnsafeRawBufferPointer { get }
    var lineNumber: Int { get }
    var index: Int { get set }
}

extension ByteCursor {
    var atEnd: Bool { index >= bytes.count }
    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
    mutating func advance() { index += 1 }
    func error(_ reason: String) -> IngestError { IngestError(line: lineNumber, reason: reason) }
}
