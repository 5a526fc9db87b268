/// The checked contents of a rules file (see README "Rules, alerts and the fleet summary").
///
/// ```json
/// {"rules": [
///   {"name": "hot", "field": "temp_c", "devices": "meter-*", "above": 80, "for": "5m", "severity": "critical"},
///   {"name": "silent", "devices": "*", "stale": "15m", "severity": "warning"}
/// ]}
/// ```
public struct RuleSet: Sendable, Equatable {
    /// The rules in file order.
    public var rules: [AlertRule]

    /// The file name inside the store directory.
    public static let fileName = "rules.json"
    /// The device-id prefix of alert series; devices under it are never evaluated.
    public static let alertPrefix = "_alerts/"

    /// A rule set of these rules (not checked: use ``parse(_:)`` for files).
    public init(rules: [AlertRule]) { self.rules = rules }

    /// Parses and checks a rules file. The error names the rule (index from 0 and name)
    /// and the member at fault.
    public static func parse(_ bytes: [UInt8]) throws(RulesError) -> RuleSet {
        let root = try JSONValue.parse(bytes)
        guard case .object = root else { throw RulesError(where: "file", problem: "the top level must be an object {\"rules\": [...]}") }
        guard case .array(let items)? = root["rules"] else {
            throw RulesError(where: "file", problem: "missing \"rules\": an array of rule objects")
        }
        var rules: [AlertRule] = []
        var names = Set<String>()
        for (i, item) in items.enumerated() {
            let rule = try parseRule(item, index: i)
            guard names.insert(rule.name).inserted else {
                throw RulesError(where: "rule \(i) (\(rule.name)) field \"name\"", problem: "duplicate name; names must be unique")
            }
            rules.append(rule)
        }
        return RuleSet(rules: rules)
    }

    private static let known: Set<String> = ["name", "field", "devices", "above", "below", "for", "stale", "severity"]

    private static func parseRule(_ item: JSONValue, index i: Int) throws(RulesError) -> AlertRule {
        guard case .object(let members) = item else { throw RulesError(where: "rule \(i)", problem: "must be an object") }
        guard case .string(let name)? = item["name"] else {
            throw RulesError(where: "rule \(i) field \"name\"", problem: "missing or not a string")
        }
        func at(_ field: String) -> String { "rule \(i) (\(name)) field \"\(field)\"" }
        guard !name.isEmpty, name.utf8.count <= 64,
              name.utf8.allSatisfy({ b in (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == 0x2D || b == 0x5F || b == 0x2E })
        else { throw RulesError(where: at("name"), problem: "use 1 to 64 letters, digits, '-', '_' or '.'") }
        for (key, _) in members where !known.contains(key) {
            throw RulesError(where: at(key), problem: "unknown member (known: \(known.sorted().joined(separator: ", ")))")
        }
        guard case .string(let severityText)? = item["severity"],
              let severity = AlertRule.Severity.allCases.first(where: { $0.description == severityText })
        else { throw RulesError(where: at("severity"), problem: "missing or not one of info, warning, critical") }
        var pattern = DevicePattern("*")
        if let devices = item["devices"] {
            guard case .string(let text) = devices, !text.isEmpty else { throw RulesError(where: at("devices"), problem: "must be a non-empty glob string") }
            pattern = DevicePattern(text)
        }
        let kinds = ["above", "below", "stale"].filter { item[$0] != nil }
        guard kinds.count == 1 else {
            throw RulesError(where: at(kinds.first ?? "above"), problem: "give exactly one of \"above\", \"below\" or \"stale\"")
        }
        let kind = kinds[0]
        if kind == "stale" {
            if item["field"] != nil { throw RulesError(where: at("field"), problem: "a stale rule watches whole devices; remove \"field\"") }
            if item["for"] != nil { throw RulesError(where: at("for"), problem: "a stale rule's duration is \"stale\" itself; remove \"for\"") }
            let d = try duration(item["stale"], at(kind))
            return AlertRule(name: name, field: nil, devices: pattern, condition: .stale(d), severity: severity)
        }
        guard case .string(let field)? = item["field"], !field.isEmpty else {
            throw RulesError(where: at("field"), problem: "a threshold rule needs the field name it watches")
        }
        guard case .number(let threshold)? = item[kind], threshold.isFinite else {
            throw RulesError(where: at(kind), problem: "must be a finite number")
        }
        let hold = item["for"] == nil ? 0 : try duration(item["for"], at("for"))
        return AlertRule(name: name, field: field, devices: pattern,
                         condition: kind == "above" ? .above(threshold) : .below(threshold), holdFor: hold, severity: severity)
    }

    private static func duration(_ value: JSONValue?, _ location: String) throws(RulesError) -> Int64 {
        guard case .string(let text)? = value else {
            throw RulesError(where: location, problem: "must be a duration string such as \"30s\", \"5m\", \"1h\"")
        }
        let width: BucketWidth
        do { width = try TimeParsing.parseDuration(text) } catch { throw RulesError(where: location, problem: error.description) }
        guard case .nanoseconds(let ns) = width else {
            throw RulesError(where: location, problem: "months have no fixed length; use d or w")
        }
        return ns
    }
}
