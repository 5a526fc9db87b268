import ChunkStore

/// Resolves the devices and fields a command names against what the store holds. A name
/// the store does not have is an error (exit 66, like a missing store): an empty answer
/// would look like "no data in that range" when the name was simply mistyped.
package enum DeviceSelection {
    /// The named devices in the order given (every device when `names` is empty).
    package static func resolve(_ names: [String], in all: [DeviceInfo], store: String) throws -> [DeviceInfo] {
        guard !names.isEmpty else { return all }
        let byName = Dictionary(all.map { ($0.device, $0) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<String>()
        return try names.filter { seen.insert($0).inserted }.map { name in
            guard let info = byName[name] else {
                throw CLIError(.noInput, "no device \"\(name)\" in \(store)" + NameSuggestion.hint(for: name, among: byName.keys.sorted()))
            }
            return info
        }
    }

    /// Checks that every requested field exists in at least one of the devices.
    package static func checkFields(_ fields: [String], of devices: [DeviceInfo]) throws {
        let known = Set(devices.flatMap { $0.fields.map(\.name) })
        for field in fields where !known.contains(field) {
            let whose = devices.count == 1 ? "device \"\(devices[0].device)\"" : "the selected devices"
            throw CLIError(.noInput, "no field \"\(field)\" in \(whose)" + NameSuggestion.hint(for: field, among: known.sorted()))
        }
    }
}
