// Fuzz target: WAL rows payloads (WALRecord.decodeRows) and the segment scan of
// WALReader. The scan sees the input as a segment's records behind a valid header, with
// the first record's crc32c fixed up so that its payload reaches the decoder.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWAL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    input.withUnsafeBytes { _ = try? WALRecord.decodeRows($0) }

    var segment: [UInt8] = []
    FuzzSupport.appendU32(FormatConstants.walMagic, to: &segment)
    segment += [UInt8(FormatConstants.walVersion & 0xFF), UInt8(FormatConstants.walVersion >> 8), 0, 0]
    segment += [1, 0, 0, 0, 0, 0, 0, 0]
    FuzzSupport.appendU32(FuzzSupport.crc(segment[0..<16]), to: &segment)
    var records = input
    if records.count >= 9 {
        let length = Int(FuzzSupport.loadU32(records, at: 4))
        if length <= records.count - 9 {
            FuzzSupport.storeU32(FuzzSupport.crc(records[4..<(9 + length)]), in: &records, at: 0)
        }
    }
    segment += records
    let directory = FuzzSupport.directory + "/wal"
    let fs = PosixFileSystem()
    try? fs.makeDirectory(directory)
    FuzzSupport.writeFile(WALWriter.path(directory, 1), segment)
    var report = RecoveryReport()
    try? WALReader.scanOnly(directory: directory, fileSystem: fs, report: &report)
    try? WALReader.replay(directory: directory, fileSystem: fs, report: &report) { _ in }
    return 0
}
