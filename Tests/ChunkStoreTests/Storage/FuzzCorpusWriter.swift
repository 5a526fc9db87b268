import Foundation
import Testing
@testable import ChunkStore

/// Writes the seed corpora of the fuzz targets (Fuzz/corpus/<target>/) from a real store,
/// so that seeds follow the format when it changes. Runs only when asked:
///
///     CHUNKSTORE_FUZZ_CORPUS=$PWD/Fuzz/corpus swift test --filter FuzzCorpusWriter
@Suite struct FuzzCorpusWriter {
    static let output = ProcessInfo.processInfo.environment["CHUNKSTORE_FUZZ_CORPUS"]

    func save(_ target: String, _ name: String, _ bytes: [UInt8]) throws {
        let directory = Self.output! + "/" + target
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name))
    }

    @Test(.enabled(if: output != nil)) func writeSeeds() throws {
        let dir = TemporaryDirectory("corpus")
        defer { dir.remove() }
        let path = dir.child("store")
        let nanos: Int64 = 1_000_000_000
        let start: Int64 = 20_454 * 86_400 * nanos
        var options = StoreOptions(sync: .always, chunkRowLimit: 6)
        options.walSegmentSize = 1 << 20
        let store = try Store.open(at: path, options: options)
        for i in 0..<20 {
            let t = start + Int64(i) * 60 * nanos
            var fields: [String: FieldValue] = ["w": .float(1.5 + Double(i) / 4), "ok": .bool(i % 2 == 0)]
            if i % 3 != 0 { fields["kwh"] = .int(Int64(100 + i)) }
            try store.append([Row(device: "m1", timestamp: t, fields: fields),
                              Row(device: "m2", timestamp: t + 86_400 * nanos, fields: ["x": .float(Double(i) * 1.1)])])
        }
        try store.flush()
        try store.append([Row(device: "m1", timestamp: start + 9999 * nanos, fields: ["w": .float(3)])])
        let fs = PosixFileSystem()
        let layout = StoreLayout(root: path)

        // Index segments, manifest, WAL records (without the segment header) and payloads.
        for name in try fs.list(path) where name.hasPrefix("index-") {
            try save("index", name, try fs.readAll(path + "/" + name))
        }
        try save("manifest", "MANIFEST", try fs.readAll(layout.manifest))
        for name in try fs.list(layout.walDirectory) {
            let bytes = try fs.readAll(layout.walDirectory + "/" + name)
            guard bytes.count > FormatConstants.walHeaderSize else { continue }
            try save("wal", name + ".records", Array(bytes[FormatConstants.walHeaderSize...]))
            let length = Int(bytes[24]) | Int(bytes[25]) << 8 | Int(bytes[26]) << 16 | Int(bytes[27]) << 24
            try save("wal", name + ".payload", Array(bytes[(FormatConstants.walHeaderSize + 9)..<(FormatConstants.walHeaderSize + 9 + length)]))
        }

        // Chunk bodies (the target frames them) and their column blocks.
        let manifest = try Manifest.load(from: path, fileSystem: fs)
        let index = try IndexSet(manifest: manifest, layout: layout, fileSystem: fs)
        var seeds = 0
        for device in ["m1", "m2"] {
            for entry in try index.chunks(of: device).prefix(2) {
                guard let dataFile = manifest.dataFile(ofDay: entry.day) else { continue }
                let file = try fs.open(layout.dataFile(dataFile), .read)
                defer { fs.close(file) }
                let (record, header) = try DataFile.readChunk(file, path: "", entry: entry, fileSystem: fs)
                seeds += 1
                try save("chunk", "chunk-\(seeds)", Array(record[4..<(record.count - 4)]))
                let count = [UInt8(header.rowCount & 0xFF), UInt8(header.rowCount >> 8)]
                try save("column", "ts-\(seeds)",
                         [0] + count + Array(record[header.timestampsOffset..<(header.timestampsOffset + header.timestampsLength)]))
                for field in header.fields {
                    let kind: UInt8 = switch field.type { case .float: 1; case .int: 2; case .bool: 3; case .uint: 4 }
                    try save("column", "\(field.name)-\(seeds)", [kind] + count + Array(record[field.offset..<(field.offset + field.length)]))
                }
            }
        }
        try store.close()

        let ingest: [(String, String)] = [
            ("lp", "\u{0}weather,device=m1 temp=21.5,hum=40i,ok=t 1767225600000000000\nwater\\ level,site=a\\,b v=1u\n# comment\n"),
            ("csv", "\u{1}device,ts,power,ok\nm1,2026-01-01T00:00:00Z,1.5,true\nm2,1767225600000000000,\"2.5\",\n"),
            ("jsonl", "\u{2}{\"device\":\"m1\",\"ts\":1767225600,\"power\":1.5,\"ok\":true}\n{\"device\":\"m\\u00e9\",\"time\":\"2026-01-01T00:00:00.5+01:00\",\"fields\":{\"n\":3,\"x\":null,\"e\":1e3}}\n"),
            ("time", "\u{3}2026-01-01T00:00:00Z\nnow-15m\nnow+1mo\n1767225600s\n2026-01-01\n5m\n1h\n1969-07-20 20:17:40.123456789z\n"),
        ]
        for (name, text) in ingest { try save("ingest", name, Array(text.utf8)) }
    }
}
