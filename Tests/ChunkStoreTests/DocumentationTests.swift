import Foundation
import Testing

/// The README's benchmark summary quotes BENCHMARKS.md, and BENCHMARKS.md's tables render.
@Suite struct DocumentationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func read(_ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)
    }

    /// The lines of `## title` up to the next `## ` heading.
    static func section(_ title: String, of text: String) -> String {
        var lines: [Substring] = [], inside = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { inside = line == "## \(title)"; continue }
            if inside { lines.append(line) }
        }
        return lines.joined(separator: "\n")
    }

    @Test func readmeBenchmarkFiguresAreQuotedFromBenchmarksMd() throws {
        let summary = Self.section("Benchmarks", of: try Self.read("README.md"))
            .replacingOccurrences(of: "\n", with: " ")
        let benchmarks = try Self.read("BENCHMARKS.md").replacingOccurrences(of: "\n", with: " ")
        let figure = try NSRegularExpression(pattern: #"\d[\d.,]*(–\d[\d.,]*)? ?(×|ms|M points/s|M lines/s|bytes/point)"#)
        let range = NSRange(summary.startIndex..., in: summary)
        let figures = figure.matches(in: summary, range: range).compactMap { Range($0.range, in: summary).map { String(summary[$0]) } }
        #expect(figures.count >= 10, "\(figures)")
        for figure in figures {
            let quoted = benchmarks.contains(figure)
            #expect(quoted, "README's \"\(figure)\" is not in BENCHMARKS.md")
        }
    }

    /// The README's library examples are, as written, the consumer package's sources,
    /// which `scripts/test-consumer.sh` builds against this checkout.
    @Test func readmeLibraryExamplesAreTheConsumerPackagesSources() throws {
        let section = Self.section("The library in a service", of: try Self.read("README.md"))
        for source in ["Collector", "Service"] {
            let code = try Self.read("Tests/ConsumerPackage/Sources/\(source)/main.swift")
            #expect(section.contains("```swift\n" + code + "```"), "the README lacks Tests/ConsumerPackage/Sources/\(source)/main.swift as written")
        }
    }

    @Test func benchmarkTablesHaveNoBlankLineInside() throws {
        let lines = try Self.read("BENCHMARKS.md").split(separator: "\n", omittingEmptySubsequences: false)
        for (i, line) in lines.enumerated() where line.isEmpty && i > 0 && i + 1 < lines.count {
            // A blank line between two table rows ends the table: the rest renders as text.
            #expect(!(lines[i - 1].hasPrefix("|") && lines[i + 1].hasPrefix("|")), "BENCHMARKS.md line \(i + 1) splits a table")
        }
    }
}
