/// One device and UTC day: the unit of sealing.
struct DeviceDay: Hashable, Sendable {
    var device: String
    var day: Int32
}

/// Rows appended but not yet sealed into chunks, per device-day, in arrival order.
///
/// Every buffered row is also in the WAL; a buffer remembers the oldest WAL segment
/// holding its rows (so fully sealed segments can be deleted) and the highest LSN it
/// holds (recorded in the chunk so replay can skip what was sealed).
struct Head {
    struct Buffer {
        var rows = ColumnarRows()
        var oldestSegment: UInt64
        var highestLSN: UInt64 = 0
        var estimatedBytes = 0
    }

    private(set) var buffers: [DeviceDay: Buffer] = [:]
    /// Estimated bytes of all buffers.
    private(set) var estimatedBytes = 0
    private(set) var rowCount = 0

    /// Adds a WAL group's rows to its device-day buffer; returns the buffer's row count.
    @discardableResult
    mutating func add(_ group: WALGroup, segment: UInt64) -> Int {
        let key = DeviceDay(device: group.device, day: group.day)
        var buffer = buffers.removeValue(forKey: key) ?? Buffer(oldestSegment: segment)
        let before = buffer.estimatedBytes
        Head.append(group.rows, to: &buffer.rows)
        buffer.oldestSegment = min(buffer.oldestSegment, segment)
        buffer.highestLSN = max(buffer.highestLSN, group.lsn)
        buffer.estimatedBytes = Head.estimate(buffer.rows) + key.device.utf8.count
        estimatedBytes += buffer.estimatedBytes - before
        rowCount += group.rows.rowCount
        let count = buffer.rows.rowCount
        buffers[key] = buffer
        return count
    }

    /// Takes a buffer out of the head (to seal it).
    mutating func remove(_ key: DeviceDay) -> Buffer? {
        guard let buffer = buffers.removeValue(forKey: key) else { return nil }
        estimatedBytes -= buffer.estimatedBytes
        rowCount -= buffer.rows.rowCount
        return buffer
    }

    /// Puts a buffer back (its sealing failed), merged in front of anything added since;
    /// with `below`, merged after the rows the head holds for its key (they are older).
    mutating func restore(_ key: DeviceDay, _ buffer: Buffer, below: Bool = false) {
        var restored = buffer
        if var other = remove(key) {
            if below { swap(&restored, &other) }
            Head.append(other.rows, to: &restored.rows)
            restored.oldestSegment = min(restored.oldestSegment, other.oldestSegment)
            restored.highestLSN = max(restored.highestLSN, other.highestLSN)
        }
        restored.estimatedBytes = Head.estimate(restored.rows) + key.device.utf8.count
        estimatedBytes += restored.estimatedBytes
        rowCount += restored.rows.rowCount
        buffers[key] = restored
    }

    /// This head's buffers with `newer`'s rows appended below them: what queries see while
    /// a commit seals this head's buffers and appends go on into `newer`. Buffers only one
    /// side has are shared, not copied.
    func overlaid(by newer: Head) -> Head {
        guard rowCount > 0 else { return newer }
        var combined = self
        for (key, buffer) in newer.buffers { combined.restore(key, buffer, below: true) }
        return combined
    }

    /// The oldest WAL segment still holding unsealed rows, if any.
    var oldestSegmentInUse: UInt64? { buffers.values.map(\.oldestSegment).min() }

    /// Buffers of one device, by day.
    func buffers(of device: String) -> [(day: Int32, rows: ColumnarRows)] {
        buffers.filter { $0.key.device == device }.map { ($0.key.day, $0.value.rows) }.sorted { $0.day < $1.day }
    }

    /// Appends `new` below `rows`, matching columns by name; a column one side lacks is
    /// filled with missing slots.
    static func append(_ new: ColumnarRows, to rows: inout ColumnarRows) {
        let oldCount = rows.rowCount
        let addCount = new.rowCount
        rows.timestamps.append(contentsOf: new.timestamps)
        var matched = [Bool](repeating: false, count: rows.columns.count)
        for column in new.columns {
            if let i = rows.columnIndex(named: column.name) {
                matched[i] = true
                rows.columns[i].bits.append(contentsOf: column.bits)
                rows.columns[i].present.append(contentsOf: column.present)
            } else {
                var fresh = FieldColumn(name: column.name, type: column.type,
                                        bits: [UInt64](repeating: 0, count: oldCount),
                                        present: Bitmap(count: oldCount, value: false))
                fresh.bits.append(contentsOf: column.bits)
                fresh.present.append(contentsOf: column.present)
                rows.columns.append(fresh)
            }
        }
        for i in matched.indices where !matched[i] {
            rows.columns[i].bits.append(contentsOf: repeatElement(0, count: addCount))
            rows.columns[i].present.append(repeating: false, count: addCount)
        }
    }

    /// Rough memory held by rows: 8 bytes per timestamp and per slot, plus per-column overhead.
    static func estimate(_ rows: ColumnarRows) -> Int {
        let slots = rows.rowCount * (1 + rows.columns.count)
        return slots * 8 + rows.columns.count * 96 + rows.rowCount * rows.columns.count / 8 + 160
    }
}
