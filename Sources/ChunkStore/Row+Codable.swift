/// Rows in JSON (or any `Codable` format), with the keys below; each field value as
/// ``FieldValue`` encodes it (`{"float":1.5}`, NaN and infinities as strings). Timestamps
/// are integers of nanoseconds since the Unix epoch.
///
/// - ``Row`` and ``LatestRow``: `{"device":"m1","timestamp":1767225600000000000,"fields":{"power":{"float":1.5}}}`
/// - ``DownsampleRow``: `{"device":"m1","bucketStart":1767225600000000000,"values":[{"float":1.5},null]}`,
///   the values in the query's column order (see ``DownsampleResult``), `null` where a
///   bucket has none.
/// - ``DownsampleResult``: `{"fields":["power"],"functions":["mean","max"],"rows":[...]}`.
private enum RowKey: String, CodingKey {
    case device, timestamp, fields, bucketStart, values, functions, rows
}

extension Row: Codable {
    /// Encodes `{"device":...,"timestamp":...,"fields":{...}}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: RowKey.self)
        try container.encode(device, forKey: .device)
        try container.encode(timestamp, forKey: .timestamp)
        try container.encode(fields, forKey: .fields)
    }

    /// Decodes `{"device":...,"timestamp":...,"fields":{...}}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: RowKey.self)
        self.init(device: try container.decode(String.self, forKey: .device),
                  timestamp: try container.decode(Int64.self, forKey: .timestamp),
                  fields: try container.decode([String: FieldValue].self, forKey: .fields))
    }
}

extension LatestRow: Codable {
    /// Encodes `{"device":...,"timestamp":...,"fields":{...}}`, as a ``Row``.
    public func encode(to encoder: any Encoder) throws {
        try Row(device: device, timestamp: timestamp, fields: fields).encode(to: encoder)
    }

    /// Decodes `{"device":...,"timestamp":...,"fields":{...}}`, as a ``Row``.
    public init(from decoder: any Decoder) throws {
        let row = try Row(from: decoder)
        self.init(device: row.device, timestamp: row.timestamp, fields: row.fields)
    }
}

extension DownsampleRow: Codable {
    /// Encodes `{"device":...,"bucketStart":...,"values":[...]}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: RowKey.self)
        try container.encode(device, forKey: .device)
        try container.encode(bucketStart, forKey: .bucketStart)
        try container.encode(values, forKey: .values)
    }

    /// Decodes `{"device":...,"bucketStart":...,"values":[...]}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: RowKey.self)
        self.init(device: try container.decode(String.self, forKey: .device),
                  bucketStart: try container.decode(Int64.self, forKey: .bucketStart),
                  values: try container.decode([FieldValue?].self, forKey: .values))
    }
}

/// Aggregate functions encode as their names: `"mean"`, `"max"`, ...
extension AggregateFunction: Codable {}

extension DownsampleResult: Codable {
    /// Encodes `{"fields":[...],"functions":[...],"rows":[...]}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: RowKey.self)
        try container.encode(fields, forKey: .fields)
        try container.encode(functions, forKey: .functions)
        try container.encode(rows, forKey: .rows)
    }

    /// Decodes `{"fields":[...],"functions":[...],"rows":[...]}`; every row must hold one
    /// value per column.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: RowKey.self)
        let fields = try container.decode([String].self, forKey: .fields)
        let functions = try container.decode([AggregateFunction].self, forKey: .functions)
        let rows = try container.decode([DownsampleRow].self, forKey: .rows)
        if let bad = rows.firstIndex(where: { $0.values.count != fields.count * functions.count }) {
            throw DecodingError.dataCorruptedError(
                forKey: .rows, in: container,
                debugDescription: "row \(bad) has \(rows[bad].values.count) values for \(fields.count * functions.count) columns")
        }
        self.init(fields: fields, functions: functions, rows: rows)
    }
}
