import Testing
@testable import ChunkStore

/// The rollup section of a chunk (Formats/SPEC.md, "Rollup section"): built from the
/// rows at sealing, round-tripped through the encoder and decoder, and checked by verify.
@Suite struct ChunkRollupTests {
    static let hour = ChunkRollup.tierNanos
    static let day: Int32 = 20_000
    static let t0 = Int64(day) * FormatConstants.nanosPerDay

    static func record(_ rows: ColumnarRows) -> (bytes: [UInt8], header: ChunkHeader) {
        var encoder = ChunkEncoder()
        var out = ByteWriter()
        let header = encoder.encode(device: "m1", day: day, sequence: 1, walLSN: 1, rows: rows, into: &out)
        return (out.bytes, header)
    }

    static func decoded(_ bytes: [UInt8]) throws -> (ChunkHeader, ChunkRollup?) {
        try bytes.withUnsafeBytes { record in
            let header = try ChunkDecoder.decodeHeader(record)
            return (header, try ChunkDecoder.decodeRollup(record, header: header))
        }
    }

    /// Rows every 7 minutes over 11 hours: a float with NaN, infinities and signed zeros,
    /// an int with its extremes, a bool and a uint, each missing in places (the int in
    /// the whole of one hour).
    static func adversarialRows() -> ColumnarRows {
        var rng = SeededRandom(seed: 7)
        let ts = (0..<95).map { t0 + 2 * hour + Int64($0) * 7 * 60_000_000_000 + Int64(rng.next() % 1000) }
        let floats: [Double] = [.nan, .infinity, -.infinity, -0.0, 0.0, 1e308, -1e-308, 3.25, -17.5]
        let ints: [Int64] = [.min, .max, 0, -1, 1, 42]
        func column(_ name: String, _ type: FieldType, _ value: (Int) -> UInt64?) -> FieldColumn {
            var bits: [UInt64] = [], present: [Bool] = []
            for i in ts.indices {
                let v = value(i)
                bits.append(v ?? 0)
                present.append(v != nil)
            }
            return FieldColumn(name: name, type: type, bits: bits, present: Bitmap(present))
        }
        return ColumnarRows(timestamps: ts, columns: [
            column("b", .bool) { i in i % 3 == 0 ? nil : UInt64(i % 2) },
            column("f", .float) { i in i % 5 == 4 ? nil : floats[i % floats.count].bitPattern },
            column("i", .int) { i in (ts[i] - t0) / hour == 5 ? nil : UInt64(bitPattern: ints[i % ints.count]) },
            column("u", .uint) { i in i % 2 == 0 ? UInt64.max - UInt64(i) : nil },
        ])
    }

    @Test func rowsWithinOneHourGetNoRollup() throws {
        let rows = ColumnarRows(timestamps: [Self.t0 + 10, Self.t0 + Self.hour - 1],
                                columns: [FieldColumn(name: "v", type: .int, bits: [1, 2], present: Bitmap(count: 2, value: true))])
        let (bytes, header) = Self.record(rows)
        #expect(header.rollupLength == 0)
        #expect(bytes[9] == 0, "flags")
        #expect(try Self.decoded(bytes).1 == nil)
    }

    @Test func eachCellHoldsTheStatisticsOfItsHoursRows() throws {
        let rows = Self.adversarialRows()
        let (bytes, header) = Self.record(rows)
        #expect(bytes[9] == FormatConstants.chunkFlagRollup)
        let (decodedHeader, rollup) = try Self.decoded(bytes)
        #expect(decodedHeader.rollupOffset == header.rollupOffset && decodedHeader.rollupLength == header.rollupLength)
        #expect(decodedHeader.fields.map(\.offset) == header.fields.map(\.offset))
        let cells = try #require(rollup)
        // Independently: add each hour's values one at a time.
        let hours = Dictionary(grouping: rows.timestamps.indices) { CivilTime.floorDiv(rows.timestamps[$0], Self.hour) * Self.hour }
        #expect(cells.cellStarts == hours.keys.sorted())
        for (k, column) in rows.columns.enumerated() {
            for (c, start) in cells.cellStarts.enumerated() {
                var expected = FieldStats()
                for i in hours[start, default: []].sorted() where column.present[i] {
                    expected.add(bits: column.bits[i], timestamp: rows.timestamps[i], type: column.type)
                }
                let got = cells.stats[k][c]
                #expect(got.count == expected.count && got.minBits == expected.minBits && got.maxBits == expected.maxBits
                        && got.sum.bitPattern == expected.sum.bitPattern && got.firstBits == expected.firstBits
                        && got.lastBits == expected.lastBits && got.firstTimestamp == expected.firstTimestamp
                        && got.lastTimestamp == expected.lastTimestamp, "field \(column.name) cell \(c)")
            }
        }
        // The int field has no value in one hour: a cell with count 0.
        #expect(cells.stats[2].contains { $0.count == 0 })
        try bytes.withUnsafeBytes { try ChunkDecoder.checkRollup($0, header: header, rows: rows) }
    }

    @Test func everyDamagedRollupByteIsCaught() throws {
        let rows = Self.adversarialRows()
        let (bytes, header) = Self.record(rows)
        // Flip each byte of the section and re-seal the record's crc: the damage is then
        // only visible to the rollup's own checks and to verify's comparison with the rows.
        var missed: [Int] = []
        for offset in header.rollupOffset..<(header.rollupOffset + header.rollupLength) {
            var damaged = bytes
            damaged[offset] ^= 0x5A
            let body = Array(damaged[4..<damaged.count - 4])
            let crc = CRC32C.checksum(body)
            for (i, byte) in [UInt8(crc & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 24)].enumerated() {
                damaged[damaged.count - 4 + i] = byte
            }
            let caught: Bool = damaged.withUnsafeBytes { record in
                do {
                    let h = try ChunkDecoder.decodeHeader(record)
                    try ChunkDecoder.checkRollup(record, header: h, rows: rows)
                    return false
                } catch { return true }
            }
            if !caught { missed.append(offset - header.rollupOffset) }
        }
        #expect(missed.isEmpty, "undetected damage at rollup bytes \(missed)")
    }

    @Test func aTruncatedOrOverlongRollupLengthIsRejected() throws {
        let (bytes, header) = Self.record(Self.adversarialRows())
        let lengthOffset = header.timestampsOffset - 4
        for length: UInt32 in [0, UInt32(header.rollupLength) - 1, UInt32(bytes.count)] {
            var body = Array(bytes[4..<bytes.count - 4])
            let at = lengthOffset - 4
            for i in 0..<4 { body[at + i] = UInt8(length >> (8 * UInt32(i)) & 0xFF) }
            var out = ByteWriter()
            out.appendU32(UInt32(body.count))
            out.append(body)
            out.appendU32(CRC32C.checksum(body))
            #expect(throws: (any Error).self) { _ = try Self.decoded(out.bytes) }
        }
    }
}

