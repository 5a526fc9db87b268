// Fuzz target: index segments. The input is written to a file with its header crc, every
// device's heap-record crc, every table entry's crc and the file crc fixed up (so mutations
// test the structure, not just the checksums), opened as an IndexSegment and walked like a
// query and verify would.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIndex(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    let headerSize = FormatConstants.indexHeaderSize, entrySize = FormatConstants.indexChunkEntrySize
    var number: UInt64 = 1
    if bytes.count >= headerSize + 4 {
        number = FuzzSupport.loadU64(bytes, at: 8)
        FuzzSupport.storeU32(FuzzSupport.crc(bytes[0..<60]), in: &bytes, at: 60)
        let devices = Int(FuzzSupport.loadU32(bytes, at: 16))
        let entries = devices + Int(FuzzSupport.loadU32(bytes, at: 20))
        let heap = Int(truncatingIfNeeded: FuzzSupport.loadU64(bytes, at: 40))
        for d in 0..<devices {
            let entry = headerSize + d * entrySize
            guard entry + entrySize <= bytes.count - 4, heap >= 0, heap < bytes.count else { break }
            let name = heap + Int(FuzzSupport.loadU32(bytes, at: entry))
            let latest = heap + Int(FuzzSupport.loadU32(bytes, at: entry + 20))
            guard name <= latest, latest + 10 <= bytes.count else { continue }
            let end = latest + 10 + (Int(bytes[latest + 8]) | Int(bytes[latest + 9]) << 8) * 10
            guard end <= bytes.count else { continue }
            FuzzSupport.storeU32(FuzzSupport.crc(bytes[name..<end]), in: &bytes, at: entry + 56)
        }
        var offset = headerSize
        for _ in 0..<entries {
            guard offset + entrySize <= bytes.count - 4 else { break }
            FuzzSupport.storeU32(FuzzSupport.crc(bytes[offset..<(offset + entrySize - 4)]), in: &bytes, at: offset + entrySize - 4)
            offset += entrySize
        }
        FuzzSupport.storeU32(FuzzSupport.crc(bytes[0..<(bytes.count - 4)]), in: &bytes, at: bytes.count - 4)
    }
    let path = FuzzSupport.directory + "/index-fuzz.csi"
    FuzzSupport.writeFile(path, bytes)
    guard let segment = try? IndexSegment(path: path, number: number, fileSystem: PosixFileSystem()) else { return 0 }
    for i in 0..<segment.deviceCount {
        guard let entry = try? segment.device(at: i) else { continue }
        _ = try? segment.name(of: entry)
        if let fields = try? segment.fields(of: entry) { _ = try? segment.latest(of: entry, fields: fields) }
        _ = try? segment.chunks(of: entry)
        _ = try? segment.summary(of: entry)
    }
    for i in 0..<segment.chunkCount { _ = try? segment.chunk(at: i) }
    _ = try? segment.findDevice("m1")
    _ = segment.verify()
    let set = IndexSet(segments: [segment, segment])
    _ = try? set.summaries(policy: .sum)
    _ = try? set.deviceNames()
    _ = try? set.latest(of: "m1", policy: .max)
    _ = try? set.allLatest(policy: .sum)
    return 0
}
