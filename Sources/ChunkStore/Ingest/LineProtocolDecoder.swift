#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The line protocol parser of `chunkstore ingest` and `chunkstore serve`, for a service
/// that receives lines itself and wants rows without appending them (to filter, enrich or
/// route them first). It parses exactly as ``Store/appendLineProtocol(_:precision:deviceTag:now:)-(UnsafeRawBufferPointer,_,_,_)``
/// does (see the README's line protocol section for how measurements and tags map onto
/// devices and fields), but checks nothing against a store: a field whose type differs
/// from the one stored is found by ``Store/append(_:)-([Row])``, which refuses its whole
/// call. To store lines with per-line type checks, use `appendLineProtocol` itself.
///
/// ```swift
/// let decoded = LineProtocolDecoder(precision: .s).decode(Array(body.utf8), now: nowNs)
/// for error in decoded.rejected { print(error) }       // "line 2: missing field value ..."
/// try await store.append(decoded.rows)
/// ```
public struct LineProtocolDecoder: Sendable {
    /// The unit of the timestamps (InfluxDB's `precision` parameter); default nanoseconds.
    public var precision: TimestampPrecision
    /// The tag whose value names the device; default `device`.
    public var deviceTag: String

    /// Creates a decoder for timestamps in `precision` that takes each line's device from
    /// tag `deviceTag`.
    public init(precision: TimestampPrecision = .ns, deviceTag: String = "device") {
        self.precision = precision
        self.deviceTag = deviceTag
    }

    /// Parses `body`, lines separated by `\n` (or `\r\n`), into rows.
    ///
    /// - Parameter now: the timestamp, in nanoseconds since the Unix epoch, of lines that
    ///   carry none.
    /// - Returns: the rows of the good lines, in input order, and each bad line's number and
    ///   reason. Blank lines and `#` comments are counted in ``LineProtocolRows/lines`` only.
    public func decode(_ body: UnsafeRawBufferPointer, now: Int64) -> LineProtocolRows {
        var parser = LineProtocolParser(deviceTag: deviceTag, precision: precision)
        var record = ParsedRecord()
        var result = LineProtocolRows()
        guard let base = body.baseAddress else { return result }
        var start = 0
        while start < body.count {
            var end = body.count
            if let hit = memchr(base + start, 0x0A, body.count - start) { end = base.distance(to: hit) }
            var lineEnd = end
            if lineEnd > start && body[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            result.lines += 1
            do {
                if try parser.parse(UnsafeRawBufferPointer(rebasing: body[start..<lineEnd]), lineNumber: result.lines, into: &record) {
                    var fields: [String: FieldValue] = [:]
                    fields.reserveCapacity(record.fields.count)
                    for field in record.fields { fields[field.name] = field.value }
                    result.rows.append(Row(device: record.device, timestamp: record.timestamp ?? now, fields: fields))
                    result.rowLines.append(result.lines)
                }
            } catch {
                result.rejected.append(LineProtocolLineError(line: error.line, reason: error.reason))
            }
            start = end + 1
        }
        return result
    }

    /// ``decode(_:now:)-(UnsafeRawBufferPointer,_)`` for bytes in an array.
    public func decode(_ body: [UInt8], now: Int64) -> LineProtocolRows {
        body.withUnsafeBytes { decode($0, now: now) }
    }

    /// ``decode(_:now:)-(UnsafeRawBufferPointer,_)`` for text.
    public func decode(_ body: String, now: Int64) -> LineProtocolRows {
        var body = body
        return body.withUTF8 { decode(UnsafeRawBufferPointer($0), now: now) }
    }
}

/// What ``LineProtocolDecoder/decode(_:now:)-(UnsafeRawBufferPointer,_)`` read.
public struct LineProtocolRows: Sendable, Equatable {
    /// Lines read, blank lines and `#` comments included.
    public var lines = 0
    /// One row per good line, in input order.
    public var rows: [Row] = []
    /// The 1-based line number of each of ``rows``.
    public var rowLines: [Int] = []
    /// Each bad line, in input order, worded as `chunkstore ingest` prints it.
    public var rejected: [LineProtocolLineError] = []

    /// Nothing read.
    public init() {}
}
