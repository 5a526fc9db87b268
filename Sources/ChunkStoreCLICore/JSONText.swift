import ChunkStore

/// `text` as a JSON string literal, quotes included: the escaping every JSON output of
/// the CLI and of `serve` uses.
package func jsonString(_ text: String) -> String {
    TextEscaping.json(text)
}

/// The version `chunkstore --version`, `/health` and `/ping` report.
package let chunkstoreVersion = "0.1.0"
