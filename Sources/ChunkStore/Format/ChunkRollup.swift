/// Per-field statistics of a chunk's rows cut into fixed time cells (one hour, aligned to
/// the Unix epoch): the stored aggregates a downsampling query adds up instead of
/// decoding rows (Formats/SPEC.md, "Rollup section").
///
/// Every cell holds at least one row of the chunk. A cell's statistics are exactly the
/// chunk statistics (``FieldStats``) of the chunk's rows in that cell, so the same
/// merging rules apply to both.
struct ChunkRollup: Sendable, Equatable {
    /// Width of every cell; the only tier format version 1 defines.
    static let tierNanos: Int64 = 3_600_000_000_000

    /// Start of each cell (a multiple of ``tierNanos``), strictly increasing.
    var cellStarts: [Int64]
    /// `stats[field][cell]`: statistics of the chunk's field `field` (descriptor order)
    /// over the rows of cell `cell`.
    var stats: [[FieldStats]]

    /// The start of the lowest cell that begins inside the `Int64` range
    /// (−9,223,369,200,000,000,000): earlier timestamps fall in a cell whose start is not
    /// representable, and a chunk with such a row carries no rollup.
    static let lowestCellStart: Int64 = -(Int64.max / tierNanos) * tierNanos

    /// Whether `t` falls in a cell whose start is representable (see ``lowestCellStart``).
    static func hasCell(_ t: Int64) -> Bool {
        t >= lowestCellStart
    }

    /// The cell holding timestamp `t`, which must satisfy ``hasCell(_:)``.
    static func cellStart(of t: Int64) -> Int64 {
        CivilTime.floorDiv(t, tierNanos) * tierNanos
    }

    /// The last instant of the cell starting at `start`, saturating at `Int64.max` (the
    /// topmost cell reaches past the range).
    static func cellLast(ofCellStarting start: Int64) -> Int64 {
        start > Int64.max - (tierNanos - 1) ? .max : start + (tierNanos - 1)
    }

    /// The rollup of sorted rows, or nil when they all fall in one cell: the chunk's own
    /// statistics already say everything a rollup would.
    init?(rows: ColumnarRows) {
        guard let first = rows.timestamps.first, let last = rows.timestamps.last, Self.hasCell(first),
              Self.cellStart(of: first) != Self.cellStart(of: last) else { return nil }
        var starts: [Int64] = []
        var bounds: [Int] = [0]
        rows.timestamps.withUnsafeBufferPointer { ts in
            var i = 0
            while i < ts.count {
                let start = Self.cellStart(of: ts[i])
                let cellLast = Self.cellLast(ofCellStarting: start)
                // Binary search for the first row past the cell.
                var low = i + 1, high = ts.count
                while low < high {
                    let mid = (low + high) / 2
                    if ts[mid] <= cellLast { low = mid + 1 } else { high = mid }
                }
                starts.append(start)
                bounds.append(low)
                i = low
            }
        }
        cellStarts = starts
        stats = rows.timestamps.withUnsafeBufferPointer { ts in
            rows.columns.map { column in
                (0..<starts.count).map { c in
                    FieldStats(column: column, timestamps: ts, rows: bounds[c]..<bounds[c + 1], sumFrom: 0)
                }
            }
        }
    }

    init(cellStarts: [Int64], stats: [[FieldStats]]) {
        self.cellStarts = cellStarts
        self.stats = stats
    }

    /// Whether two rollups hold the same bits (`==` would call two NaN sums different).
    func isIdentical(to other: ChunkRollup?) -> Bool {
        guard let other, cellStarts == other.cellStarts, stats.count == other.stats.count else { return false }
        return zip(stats, other.stats).allSatisfy { a, b in
            a.count == b.count && zip(a, b).allSatisfy { x, y in
                x.count == y.count && x.sum.bitPattern == y.sum.bitPattern && x.minBits == y.minBits
                    && x.maxBits == y.maxBits && x.firstBits == y.firstBits && x.lastBits == y.lastBits
                    && x.firstTimestamp == y.firstTimestamp && x.lastTimestamp == y.lastTimestamp
            }
        }
    }

    // MARK: Encoding

    /// Appends the rollup section for fields of `types` (descriptor order). Its blocks
    /// hold a dozen values each, so no LZ4 attempt is made on them.
    func encode(types: [FieldType], into out: inout ByteWriter, scratch: inout ColumnScratch) {
        let cells = cellStarts.count
        out.appendI64(Self.tierNanos)
        out.appendU16(UInt16(cells))
        ColumnBlock.encodeTimestamps(cellStarts, into: &out, scratch: &scratch, compressible: false)
        // One column refilled for each statistic: no allocation per block.
        var column = FieldColumn(name: "", type: .int, bits: [UInt64](repeating: 0, count: cells),
                                 present: Bitmap(count: cells, value: true))
        let allPresent = column.present
        for (f, type) in types.enumerated() {
            let cellStats = stats[f]
            var present = Bitmap(count: cells, value: false)
            for c in 0..<cells where cellStats[c].count > 0 { present[c] = true }
            func emit(_ statType: FieldType, _ bits: (FieldStats, Int64) -> UInt64) {
                column.type = statType
                for c in 0..<cells { column.bits[c] = cellStats[c].count > 0 ? bits(cellStats[c], cellStarts[c]) : 0 }
                ColumnBlock.encodeField(column, into: &out, scratch: &scratch, compressible: false)
            }
            column.present = allPresent
            column.type = .int
            for c in 0..<cells { column.bits[c] = UInt64(cellStats[c].count) }
            ColumnBlock.encodeField(column, into: &out, scratch: &scratch, compressible: false)
            column.present = present
            emit(.float) { s, _ in s.sum.bitPattern }
            emit(type) { s, _ in s.minBits }
            emit(type) { s, _ in s.maxBits }
            emit(type) { s, _ in s.firstBits }
            emit(type) { s, _ in s.lastBits }
            emit(.int) { s, start in UInt64(bitPattern: s.firstTimestamp - start) }
            emit(.int) { s, start in UInt64(bitPattern: s.lastTimestamp - start) }
        }
    }

    // MARK: Decoding

    /// Decodes and checks a rollup section for fields of `types` (descriptor order) of a
    /// chunk whose rows span `minTimestamp...maxTimestamp`. Offsets in errors are
    /// relative to `section`.
    static func decode(_ section: UnsafeRawBufferPointer, types: [FieldType], minTimestamp: Int64,
                       maxTimestamp: Int64) throws -> ChunkRollup {
        var reader = ByteReader(section)
        let tier = try reader.readI64()
        guard tier == tierNanos else {
            throw FormatError(offset: 0, "rollup tier \(tier) ns is not supported (only \(tierNanos))")
        }
        let cells = Int(try reader.readU16())
        guard hasCell(minTimestamp), minTimestamp <= maxTimestamp else {
            throw FormatError(offset: 0, "rollup for rows from \(minTimestamp), before the first representable cell or after their last")
        }
        let firstCell = cellStart(of: minTimestamp), lastCell = cellStart(of: maxTimestamp)
        let (span, overflow) = lastCell.subtractingReportingOverflow(firstCell)
        guard cells >= 2, overflow || Int64(cells) <= span / tierNanos + 1 else {
            throw FormatError(offset: 8, "rollup has \(cells) cells for rows spanning \(minTimestamp)...\(maxTimestamp)")
        }
        let startsOffset = reader.offset
        let starts = try ColumnBlock.decodeTimestamps(&reader, count: cells, increasing: true)
        guard starts.first == firstCell, starts.last == lastCell,
              starts.allSatisfy({ CivilTime.floorMod($0, tierNanos) == 0 }) else {
            throw FormatError(offset: startsOffset, "rollup cell starts are not hour-aligned cells from the chunk's first row to its last")
        }
        // The eight statistics' slots and presence maps, refilled for every field: no
        // allocation per block.
        let words = (cells + 63) / 64
        let stats = try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 8 * (cells + words)) { scratch in
            let values = scratch.baseAddress!, present = values + 8 * cells
            var stats: [[FieldStats]] = []
            stats.reserveCapacity(types.count)
            for (f, type) in types.enumerated() {
                let blockOffset = reader.offset
                for k in 0..<8 {
                    let columnType: FieldType = k == 0 || k >= 6 ? .int : k == 1 ? .float : type
                    do {
                        _ = try ColumnBlock.decodeField(&reader, name: "", type: columnType, count: cells,
                                                        values: values + k * cells, present: present + k * words)
                    } catch let error as FormatError {
                        throw FormatError(offset: error.offset, "rollup of field \(f), statistic \(k): \(error.reason)")
                    }
                }
                stats.append(try cellStats(cells: cells, starts: starts, values: values, present: present,
                                           field: f, at: blockOffset))
            }
            return stats
        }
        guard reader.remaining == 0 else {
            throw FormatError(offset: reader.offset, "\(reader.remaining) bytes follow the rollup's last block")
        }
        return ChunkRollup(cellStarts: starts, stats: stats)
    }

    /// One field's statistics per cell from its eight decoded columns (`values`: eight
    /// runs of `cells` slots; `present`: their presence maps), checked as they are read.
    private static func cellStats(cells: Int, starts: [Int64], values: UnsafeMutablePointer<UInt64>,
                                  present: UnsafeMutablePointer<UInt64>, field f: Int, at blockOffset: Int) throws -> [FieldStats] {
        let words = (cells + 63) / 64
        func column(_ k: Int, _ c: Int) -> UInt64 { values[k * cells + c] }
        func isPresent(_ k: Int, _ c: Int) -> Bool { (present[k * words + (c >> 6)] >> UInt64(c & 63)) & 1 == 1 }
        return try starts.withUnsafeBufferPointer { starts in
            try [FieldStats](unsafeUninitializedCapacity: cells) { out, initialized in
                for c in 0..<cells {
                    var s = FieldStats()
                    let count = Int64(bitPattern: column(0, c))
                    let expectPresent = count > 0
                    var agree = true
                    for k in 1...7 where isPresent(k, c) != expectPresent { agree = false }
                    guard count >= 0, count <= Int64(UInt32.max), agree else {
                        throw FormatError(offset: blockOffset, "rollup of field \(f), cell \(c): count \(count) disagrees with the statistics present")
                    }
                    if expectPresent {
                        s.count = Int(count)
                        s.sum = Double(bitPattern: column(1, c))
                        s.minBits = column(2, c)
                        s.maxBits = column(3, c)
                        s.firstBits = column(4, c)
                        s.lastBits = column(5, c)
                        let firstOffset = Int64(bitPattern: column(6, c))
                        let lastOffset = Int64(bitPattern: column(7, c))
                        guard firstOffset >= 0, firstOffset <= lastOffset, lastOffset < tierNanos,
                              starts[c] <= Int64.max - lastOffset else {
                            throw FormatError(offset: blockOffset, "rollup of field \(f), cell \(c): value times fall outside the cell")
                        }
                        s.firstTimestamp = starts[c] + firstOffset
                        s.lastTimestamp = starts[c] + lastOffset
                    }
                    (out.baseAddress! + c).initialize(to: s)
                    initialized = c + 1
                }
            }
        }
    }
}
