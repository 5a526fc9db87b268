/// The rules state file `rules.state` (SPEC §12): every (rule, device) track of a
/// ``RuleEngine``, little-endian, ending in a CRC32C of all bytes before it.
///
/// ```
/// magic "CSRS" | version u8 = 1 | 3 zero bytes | count u32
/// count × { rule_len u16 | rule UTF-8 | device_len u16 | device UTF-8 | flags u8
///           | last_time i64 | pending_since i64 | value f64 }
/// crc32c u32
/// ```
enum RuleStateFile {
    static let fileName = "rules.state"
    static let magic: [UInt8] = Array("CSRS".utf8)
    static let version: UInt8 = 1

    /// Encodes the engine's tracks, sorted by (rule, device) so equal states give equal bytes.
    /// Rule names are unique (``RuleSet/parse(_:)``), so the order is that of the rules by
    /// name, and within a rule of the devices by id: both sorted once, not per track.
    static func encode(_ engine: RuleEngine) -> [UInt8] {
        let rules = engine.ruleSet.rules
        let ruleOrder = rules.indices.sorted { rules[$0].name.utf8.lexicographicallyPrecedes(rules[$1].name.utf8) }
        let deviceOrder = engine.deviceNames.indices.sorted {
            engine.deviceNames[$0].utf8.lexicographicallyPrecedes(engine.deviceNames[$1].utf8)
        }
        var perRule = [[(device: Int, track: Int)]](repeating: [], count: rules.count)
        var count = 0
        for d in deviceOrder {
            let state = engine.states[d]
            for k in state.rules.indices where state.tracks[k] != RuleEngine.Track() {
                perRule[state.rules[k]].append((d, k))
                count += 1
            }
        }
        var w = ByteWriter()
        w.append(magic)
        w.appendU8(version)
        w.append([0, 0, 0])
        w.appendU32(UInt32(count))
        var deviceBytes: [[UInt8]?] = Array(repeating: nil, count: engine.deviceNames.count)
        for r in ruleOrder where !perRule[r].isEmpty {
            let ruleBytes = Array(rules[r].name.utf8)
            for (d, k) in perRule[r] {
                let device = deviceBytes[d] ?? Array(engine.deviceNames[d].utf8)
                deviceBytes[d] = device
                let track = engine.states[d].tracks[k]
                w.appendU16(UInt16(ruleBytes.count))
                w.append(ruleBytes)
                w.appendU16(UInt16(device.count))
                w.append(device)
                w.appendU8((track.firing ? 1 : 0) | (track.isPending ? 2 : 0))
                w.appendI64(track.lastTime)
                w.appendI64(track.pendingSince)
                w.appendU64(track.value.bitPattern)
            }
        }
        var bytes = w.bytes
        let crc = CRC32C.checksum(bytes)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift))) }
        return bytes
    }

    /// Restores tracks into `engine`; entries of rules no longer in its rule set are dropped.
    static func decode(_ bytes: [UInt8], path: String, into engine: inout RuleEngine) throws {
        guard bytes.count >= 16 else { throw StoreError.corrupt(path: path, offset: 0, reason: "rules state is \(bytes.count) bytes, shorter than its header") }
        let body = Array(bytes[..<(bytes.count - 4)])
        let stored = bytes[(bytes.count - 4)...].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard CRC32C.checksum(body) == stored else {
            throw StoreError.corrupt(path: path, offset: bytes.count - 4, reason: "rules state checksum mismatch")
        }
        guard Array(body[0..<4]) == magic else { throw StoreError.corrupt(path: path, offset: 0, reason: "not a rules state file (bad magic)") }
        guard body[4] == version else { throw StoreError.unsupportedVersion(path: path, found: Int(body[4]), supported: Int(version)) }
        let ruleIndex = Dictionary(engine.ruleSet.rules.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        try body.withUnsafeBytes { raw in
            var r = ByteReader(raw)
            do {
                try r.skip(8)
                let count = Int(try r.readU32())
                for _ in 0..<count {
                    let rule = String(decoding: try r.readBytes(Int(try r.readU16())), as: UTF8.self)
                    let device = String(decoding: try r.readBytes(Int(try r.readU16())), as: UTF8.self)
                    let flags = try r.readU8()
                    var track = RuleEngine.Track()
                    track.lastTime = try r.readI64()
                    track.pendingSince = try r.readI64()
                    track.value = Double(bitPattern: try r.readU64())
                    track.firing = flags & 1 != 0
                    guard let index = ruleIndex[rule] else { continue }
                    engine.restore(rule: index, device: device, track: track)
                }
            } catch let error as FormatError {
                throw StoreError.corrupt(path: path, offset: r.offset, reason: "rules state: \(error)")
            }
        }
    }
}

extension RuleEngine {
    /// Sets the track of `rule` (an index) for `device`, if the rule applies to it.
    mutating func restore(rule: Int, device: String, track: Track) {
        let d = slot(device)
        if let k = states[d].rules.firstIndex(of: rule) { states[d].tracks[k] = track }
        // A restored stale track may be due at any time: the next check scans.
        staleDue = .min
    }
}
