@testable import ChunkStore

/// A test-only reader of the Thrift compact protocol: decodes a struct into a tree so
/// tests can check the writer's footers and page headers field by field.
indirect enum ThriftValue: Equatable {
    case bool(Bool), int(Int64), binary([UInt8]), list([ThriftValue]), structure([Int16: ThriftValue])

    var int: Int64? { if case .int(let v) = self { v } else { nil } }
    var fields: [Int16: ThriftValue] { if case .structure(let f) = self { f } else { [:] } }
    var list: [ThriftValue] { if case .list(let l) = self { l } else { [] } }
    var string: String? { if case .binary(let b) = self { String(decoding: b, as: UTF8.self) } else { nil } }
    subscript(_ id: Int16) -> ThriftValue? { fields[id] }
}

struct ThriftCompactReader {
    struct Bad: Error {}
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw Bad() }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uvarint() throws -> UInt64 {
        var v: UInt64 = 0, shift: UInt64 = 0
        while true {
            let b = try byte()
            v |= UInt64(b & 0x7f) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }

    mutating func zigzag() throws -> Int64 {
        let u = try uvarint()
        return Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
    }

    mutating func value(_ type: UInt8) throws -> ThriftValue {
        switch type {
        case 1: return .bool(true)
        case 2: return .bool(false)
        case 3: return .int(Int64(Int8(bitPattern: try byte())))
        case 4, 5, 6: return .int(try zigzag())
        case 8:
            let n = Int(try uvarint())
            guard offset + n <= bytes.count else { throw Bad() }
            defer { offset += n }
            return .binary(Array(bytes[offset..<(offset + n)]))
        case 9:
            let header = try byte()
            var count = Int(header >> 4)
            if count == 15 { count = Int(try uvarint()) }
            var items: [ThriftValue] = []
            for _ in 0..<count {
                let elementType = header & 0x0f
                items.append(elementType == 1 || elementType == 2 ? .bool(try byte() == 1) : try value(elementType))
            }
            return .list(items)
        case 12: return try structure()
        default: throw Bad()
        }
    }

    /// Reads one struct up to its stop byte.
    mutating func structure() throws -> ThriftValue {
        var fields: [Int16: ThriftValue] = [:]
        var last: Int16 = 0
        while true {
            let header = try byte()
            if header == 0 { return .structure(fields) }
            let delta = Int16(header >> 4)
            let id = delta == 0 ? Int16(try zigzag()) : last + delta
            fields[id] = try value(header & 0x0f)
            last = id
        }
    }
}
