import ChunkStore
import Foundation

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Calls `body` with every parsed record of line-protocol `text`, using the library's
/// parser (the one the CLI's ingest uses). Returns the number of records.
@discardableResult
func forEachLineProtocolRecord(
    _ text: UnsafeRawBufferPointer, parser: inout LineProtocolParser,
    _ body: (borrowing ParsedRecord) throws -> Void
) throws -> Int {
    guard let base = text.baseAddress else { return 0 }
    var record = ParsedRecord()
    var start = 0, lineNumber = 0, records = 0
    let end = text.count
    while start < end {
        let hit = memchr(base + start, 0x0A, end - start)
        let stop = hit.map { base.distance(to: UnsafeRawPointer($0)) } ?? end
        var upper = stop
        if upper > start && text[upper - 1] == 0x0D { upper -= 1 }
        lineNumber += 1
        let line = UnsafeRawBufferPointer(rebasing: text[start..<upper])
        start = stop + 1
        do {
            guard try parser.parse(line, lineNumber: lineNumber, into: &record) else { continue }
        } catch {
            throw BenchError("line \(lineNumber): \(error)")
        }
        guard record.timestamp != nil else {
            throw BenchError("line \(lineNumber) has no timestamp; the bench needs explicit timestamps so both engines see the same data")
        }
        records += 1
        try body(record)
    }
    return records
}

/// Collects parsed records into one ``ColumnBatch`` per device, the shape the library's
/// fast append path takes; drained every `window` records, like an ingest loop would.
struct LineProtocolBatcher {
    private struct Column {
        var name: String
        var type: FieldType
        var doubles: [Double] = []
        var ints: [Int64] = []
        var bools: [Bool] = []
        var uints: [UInt64] = []
        var present: [Bool] = []
        var missing = 0

        var count: Int { present.count }

        mutating func append(_ value: FieldValue) -> Bool {
            switch value {
            case .float(let v): guard type == .float else { return false }; doubles.append(v)
            case .int(let v): guard type == .int else { return false }; ints.append(v)
            case .bool(let v): guard type == .bool else { return false }; bools.append(v)
            case .uint(let v): guard type == .uint else { return false }; uints.append(v)
            }
            present.append(true)
            return true
        }

        mutating func appendMissing() {
            switch type {
            case .float: doubles.append(0)
            case .int: ints.append(0)
            case .bool: bools.append(false)
            case .uint: uints.append(0)
            }
            present.append(false)
            missing += 1
        }

        func column() -> ColumnBatch.Column {
            let values: ColumnBatch.Values
            switch type {
            case .float: values = .float(doubles)
            case .int: values = .int(ints)
            case .bool: values = .bool(bools)
            case .uint: values = .uint(uints)
            }
            return ColumnBatch.Column(name: name, values: values, present: missing == 0 ? nil : present)
        }
    }

    private struct Device {
        var name: String
        var timestamps: [Int64] = []
        var columns: [Column] = []
    }

    let window: Int
    private var devices: [Device] = []
    private var indexByName: [String: Int] = [:]
    private var lastName = ""
    private var lastIndex = -1
    private(set) var buffered = 0

    init(window: Int) { self.window = window }

    var isFull: Bool { buffered >= window }

    /// Adds one record to its device's batch.
    mutating func add(_ record: borrowing ParsedRecord) throws {
        let d: Int
        if lastIndex >= 0 && record.device == lastName {
            d = lastIndex
        } else if let i = indexByName[record.device] {
            d = i
        } else {
            d = devices.count
            devices.append(Device(name: record.device))
            indexByName[record.device] = d
        }
        lastName = record.device
        lastIndex = d
        let row = devices[d].timestamps.count
        devices[d].timestamps.append(record.timestamp ?? 0)
        for (k, field) in record.fields.enumerated() {
            var c = -1
            if k < devices[d].columns.count && devices[d].columns[k].name == field.name {
                c = k
            } else if let i = devices[d].columns.firstIndex(where: { $0.name == field.name }) {
                c = i
            } else {
                c = devices[d].columns.count
                var column = Column(name: field.name, type: field.value.type)
                for _ in 0..<row { column.appendMissing() }
                devices[d].columns.append(column)
            }
            guard devices[d].columns[c].append(field.value) else {
                throw BenchError("field \(field.name) of device \(record.device) changes type to \(field.value.type)")
            }
        }
        for c in devices[d].columns.indices where devices[d].columns[c].count == row {
            devices[d].columns[c].appendMissing()
        }
        buffered += 1
    }

    /// The buffered rows as one batch per device, in first-seen order; empties the batcher.
    mutating func drain() -> [ColumnBatch] {
        let batches = devices.map { ColumnBatch(device: $0.name, timestamps: $0.timestamps, columns: $0.columns.map { $0.column() }) }
        devices.removeAll(keepingCapacity: true)
        indexByName.removeAll(keepingCapacity: true)
        lastIndex = -1
        buffered = 0
        return batches
    }
}

/// Writes line protocol for generated batches: `meter,device=<id> power=…,voltage=…,
/// current=…,energy=…i <ns>`, with the decimals the meters report (no float formatting
/// round trip: values are printed from their scaled integers).
struct LineProtocolWriter {
    private(set) var bytes: [UInt8] = []
    private(set) var lines = 0

    init(reserving: Int = 0) { bytes.reserveCapacity(reserving) }

    private mutating func appendInt(_ value: Int64) {
        if value < 0 { bytes.append(0x2D) }
        var v = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat { d[n] = UInt8(v % 10) + 0x30; v /= 10; n += 1 } while v > 0
            for i in stride(from: n - 1, through: 0, by: -1) { bytes.append(d[i]) }
        }
    }

    /// `value` with exactly `decimals` digits after the point (it is already rounded to them).
    private mutating func appendDecimal(_ value: Double, decimals: Int) {
        let scale: Double = decimals == 1 ? 10 : 100
        let scaled = Int64((value * scale).rounded())
        if scaled < 0 { bytes.append(0x2D) }
        let m = Int64(scaled.magnitude)
        let unit = decimals == 1 ? Int64(10) : 100
        appendInt(m / unit)
        bytes.append(0x2E)
        let frac = m % unit
        if decimals == 2 && frac < 10 { bytes.append(0x30) }
        appendInt(frac)
    }

    mutating func append(_ batch: ColumnBatch) {
        guard case .float(let power) = batch.columns[0].values, case .float(let voltage) = batch.columns[1].values,
              case .float(let current) = batch.columns[2].values, case .int(let energy) = batch.columns[3].values else {
            preconditionFailure("not a generated meter batch")
        }
        let prefix = Array("meter,device=\(batch.device) power=".utf8)
        for r in batch.timestamps.indices {
            bytes.append(contentsOf: prefix)
            appendDecimal(power[r], decimals: 1)
            bytes.append(contentsOf: ",voltage=".utf8)
            appendDecimal(voltage[r], decimals: 1)
            bytes.append(contentsOf: ",current=".utf8)
            appendDecimal(current[r], decimals: 2)
            bytes.append(contentsOf: ",energy=".utf8)
            appendInt(energy[r])
            bytes.append(0x69)  // i
            bytes.append(0x20)
            appendInt(batch.timestamps[r])
            bytes.append(0x0A)
            lines += 1
        }
    }
}
