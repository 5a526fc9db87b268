/// `FieldValue` in JSON (or any `Codable` format): an object of one key naming the type,
/// so that a value decodes back to the same type and, for finite numbers, the same bits:
///
/// | value | JSON |
/// | --- | --- |
/// | `.float(1.5)` | `{"float":1.5}` |
/// | `.float(.nan)`, `.float(.infinity)`, `.float(-.infinity)` | `{"float":"NaN"}`, `{"float":"+Inf"}`, `{"float":"-Inf"}` |
/// | `.int(-3)` | `{"int":-3}` |
/// | `.uint(18446744073709551615)` | `{"uint":18446744073709551615}` |
/// | `.bool(true)` | `{"bool":true}` |
///
/// JSON has no NaN or infinity, so those three are strings, spelled as the CLI prints
/// them; they are the only strings a `float` accepts. Every NaN encodes as `"NaN"` and
/// decodes as the standard quiet NaN (a NaN's payload bits are not kept). Integers are
/// exact in the JSON text; a reader that parses numbers as doubles (JavaScript) loses
/// digits beyond 2^53. Decoding refuses an object with another key or with more than one.
extension FieldValue: Codable {
    private enum TypeKey: String, CodingKey {
        case float, int, uint, bool
    }

    /// Encodes `{"TYPE": value}` as the table above shows.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TypeKey.self)
        switch self {
        case .float(let v):
            if v.isNaN {
                try container.encode("NaN", forKey: .float)
            } else if v.isInfinite {
                try container.encode(v > 0 ? "+Inf" : "-Inf", forKey: .float)
            } else {
                try container.encode(v, forKey: .float)
            }
        case .int(let v): try container.encode(v, forKey: .int)
        case .uint(let v): try container.encode(v, forKey: .uint)
        case .bool(let v): try container.encode(v, forKey: .bool)
        }
    }

    /// Decodes `{"TYPE": value}` as the table above shows.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: TypeKey.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath,
                debugDescription: "a field value is an object of one key, float, int, uint or bool (e.g. {\"float\":1.5}); got \(container.allKeys.count) known keys"))
        }
        switch key {
        case .float:
            if let text = try? container.decode(String.self, forKey: .float) {
                switch text {
                case "NaN": self = .float(.nan)
                case "+Inf": self = .float(.infinity)
                case "-Inf": self = .float(-.infinity)
                default:
                    throw DecodingError.dataCorruptedError(
                        forKey: .float, in: container,
                        debugDescription: "a float is a number or one of \"NaN\", \"+Inf\", \"-Inf\"; got \"\(text)\"")
                }
            } else {
                self = .float(try container.decode(Double.self, forKey: .float))
            }
        case .int: self = .int(try container.decode(Int64.self, forKey: .int))
        case .uint: self = .uint(try container.decode(UInt64.self, forKey: .uint))
        case .bool: self = .bool(try container.decode(Bool.self, forKey: .bool))
        }
    }
}
