import ChunkStore

/// A time option as typed (`--from -1h`, `--to 2026-01-02`), parsed relative to `now`; a
/// bad one is a usage error (exit 64) naming the option. Every command's time options go
/// through here, so they accept the same forms and say the same things.
package func parseTime(_ text: String?, _ option: String, now: Int64 = nowNanoseconds()) throws -> Int64? {
    guard let text else { return nil }
    do { return try TimeParsing.parseTimeArgument(text, now: now) } catch { throw CLIError(.usage, "\(option): \(error)") }
}
