/// What ``Store/appendLineProtocol(_:precision:deviceTag:now:)`` did with a body of
/// InfluxDB line protocol.
public struct LineProtocolWriteResult: Sendable, Equatable {
    /// Lines read, blank lines and `#` comments included.
    public var lines: Int
    /// Rows appended (one per accepted line).
    public var rows: Int
    /// Field values appended.
    public var points: Int
    /// Each refused line, in input order; every other line was appended.
    public var rejected: [LineProtocolLineError]

    /// Creates a result (for tests and callers that merge results).
    public init(lines: Int = 0, rows: Int = 0, points: Int = 0, rejected: [LineProtocolLineError] = []) {
        self.lines = lines
        self.rows = rows
        self.points = points
        self.rejected = rejected
    }
}

/// One refused line of line protocol: its 1-based number in the body and why, worded as
/// `chunkstore ingest` prints it (`line 2: bad number "1.2.3" for field power`).
public struct LineProtocolLineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number in the body.
    public var line: Int
    /// What was wrong with the line.
    public var reason: String

    /// Creates an error for `line` with `reason`.
    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    /// `line N: reason`.
    public var description: String { "line \(line): \(reason)" }
}

extension Store {
    /// Parses a body of InfluxDB line protocol (the `chunkstore ingest` parser; see the
    /// README's line protocol section for how measurements and tags map onto devices)
    /// and appends every good line; a bad line (bad syntax, a value whose type differs
    /// from the field's stored type) is refused alone and reported in the result.
    ///
    /// - Parameters:
    ///   - body: the lines, separated by `\n` (or `\r\n`).
    ///   - precision: the unit of the timestamps (InfluxDB's `precision` parameter).
    ///   - deviceTag: the tag whose value names the device.
    ///   - now: the time, in nanoseconds since the Unix epoch, given to lines without a
    ///     timestamp (InfluxDB gives a whole request the server's time at receipt).
    /// - Returns: counts and every refused line. When it returns, the accepted rows are
    ///   appended under the store's ``SyncPolicy``, exactly as ``append(_:)-([Row])``.
    /// - Throws: a store failure (a full disk, a closed or read-only store); rows of
    ///   lines before the failure may have been appended.
    public func appendLineProtocol(_ body: UnsafeRawBufferPointer, precision: TimestampPrecision = .ns,
                                   deviceTag: String = "device", now: Int64) throws(StoreError) -> LineProtocolWriteResult {
        let ingester = Ingester(store: self, format: .lp, precision: precision, deviceTag: deviceTag, now: { now })
        var rejected: [LineProtocolLineError] = []
        let summary = try StoreError.wrapping(path) {
            try ingester.ingest(buffer: body) { error in
                rejected.append(LineProtocolLineError(line: error.line, reason: error.reason))
                return true
            }
        }
        return LineProtocolWriteResult(lines: summary.lines, rows: summary.rows, points: summary.points, rejected: rejected)
    }

    /// ``appendLineProtocol(_:precision:deviceTag:now:)-(UnsafeRawBufferPointer,_,_,_)``
    /// for bytes in an array.
    public func appendLineProtocol(_ body: [UInt8], precision: TimestampPrecision = .ns,
                                   deviceTag: String = "device", now: Int64) throws(StoreError) -> LineProtocolWriteResult {
        try StoreError.wrapping(path) {
            try body.withUnsafeBytes { try appendLineProtocol($0, precision: precision, deviceTag: deviceTag, now: now) }
        }
    }
}
