import ChunkStore
import Foundation

/// The data every workload of one run uses, identical for both engines: the columnar
/// batches in arrival order (for `append`) and the same rows as line protocol (for
/// `lp-ingest`).
struct Dataset {
    /// Where the data came from, for the report.
    var source: String
    /// Every field and its type, in the order the SQLite table declares them.
    var fields: [(name: String, type: FieldType)]
    var batches: [ColumnBatch]
    var lineProtocol: [UInt8]
    /// Device ids in byte order (the order both engines return them).
    var devices: [String]
    var rows = 0
    var points = 0
    var minTimestamp = Int64.max
    var maxTimestamp = Int64.min

    /// Bytes of the raw (timestamp, value) pairs: 16 per point.
    var rawBytes: Int { points * 16 }

    init(source: String, fields: [(name: String, type: FieldType)], batches: [ColumnBatch], lineProtocol: [UInt8]) {
        self.source = source
        self.fields = fields
        self.batches = batches
        self.lineProtocol = lineProtocol
        var names = Set<String>()
        for batch in batches {
            names.insert(batch.device)
            rows += batch.timestamps.count
            for column in batch.columns {
                points += column.present.map { $0.lazy.filter { $0 }.count } ?? column.count
            }
            for t in batch.timestamps {
                minTimestamp = min(minTimestamp, t)
                maxTimestamp = max(maxTimestamp, t)
            }
        }
        devices = names.sorted { $0.precedesInBytes($1) }
    }

    /// Generated smart-meter data.
    static func generate(_ parameters: GeneratorParameters, lineProtocol: Bool) -> Dataset {
        var fleet = MeterFleet(parameters)
        var batches: [ColumnBatch] = []
        var writer = LineProtocolWriter()
        while let period = fleet.nextPeriod() {
            batches += period
            if lineProtocol { for b in period { writer.append(b) } }
        }
        let source = "generated: \(parameters.devices) meters × \(parameters.days) days every \(parameters.intervalSeconds) s, seed \(parameters.seed)"
        return Dataset(source: source, fields: MeterFields.all, batches: batches, lineProtocol: writer.bytes)
    }

    /// A user's line-protocol file, parsed once with the library's parser into batches.
    static func load(path: String, window: Int) throws -> Dataset {
        guard let data = FileManager.default.contents(atPath: path) else { throw BenchError("cannot read \(path)") }
        let bytes = [UInt8](data)
        var parser = LineProtocolParser()
        var batcher = LineProtocolBatcher(window: window)
        var batches: [ColumnBatch] = []
        var fieldTypes: [String: FieldType] = [:]
        var fieldOrder: [String] = []
        _ = try bytes.withUnsafeBytes { buffer in
            try forEachLineProtocolRecord(buffer, parser: &parser) { record in
                for field in record.fields {
                    if let known = fieldTypes[field.name] {
                        guard known == field.value.type else {
                            throw BenchError("field \(field.name) is \(known) in one line and \(field.value.type) in another; "
                                + "the SQLite baseline needs one type per field")
                        }
                    } else {
                        fieldTypes[field.name] = field.value.type
                        fieldOrder.append(field.name)
                    }
                }
                try batcher.add(record)
                if batcher.isFull { batches += batcher.drain() }
            }
        }
        batches += batcher.drain()
        guard !batches.isEmpty else { throw BenchError("\(path) holds no line-protocol records") }
        return Dataset(source: "file \(path)", fields: fieldOrder.map { ($0, fieldTypes[$0]!) }, batches: batches, lineProtocol: bytes)
    }

    /// The first `fraction` of the batches (at least one): the warm-up's data.
    func prefix(fraction: Double) -> [ColumnBatch] {
        Array(batches.prefix(max(1, Int(Double(batches.count) * fraction))))
    }

    /// Roughly the first `fraction` of the line-protocol text, cut at a line end.
    func lineProtocolPrefix(fraction: Double) -> ArraySlice<UInt8> {
        var end = min(lineProtocol.count, Int(Double(lineProtocol.count) * fraction))
        while end < lineProtocol.count && lineProtocol[end] != 0x0A { end += 1 }
        return lineProtocol[..<min(lineProtocol.count, end + 1)]
    }

    /// Field to aggregate in the downsampling queries: `power`, or the first float field.
    var queryField: String {
        if fields.contains(where: { $0.name == "power" }) { return "power" }
        return (fields.first { $0.type == .float } ?? fields[0]).name
    }
}
