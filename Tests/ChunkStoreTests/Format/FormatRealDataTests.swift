import Foundation
import Testing
@testable import ChunkStore

/// Sizes on real meter data: synthetic series flatter codecs, so measure on the
/// household power excerpt (see Fixtures/ATTRIBUTION.md).
@Suite struct FormatRealDataTests {
    struct Excerpt {
        var names: [String] = []
        var timestamps: [Int64] = []
        var columns: [FieldColumn] = []
    }

    static func load() throws -> Excerpt {
        let url = try #require(Bundle.module.url(forResource: "household-power-excerpt", withExtension: "txt",
                                                 subdirectory: "Fixtures"))
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines.removeFirst().split(separator: ";").map(String.init)
        var excerpt = Excerpt()
        let fieldNames = Array(header.dropFirst(2))
        var bits = [[UInt64]](repeating: [], count: fieldNames.count)
        var present = [[Bool]](repeating: [], count: fieldNames.count)
        for line in lines {
            let parts = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            let date = parts[0].split(separator: "/").compactMap { Int($0) }
            let time = parts[1].split(separator: ":").compactMap { Int($0) }
            try #require(date.count == 3 && time.count == 3)
            let days = CivilTime.days(fromCivil: Int64(date[2]), month: date[1], day: date[0])
            let seconds = Int64(days) * 86_400 + Int64(time[0] * 3600 + time[1] * 60 + time[2])
            excerpt.timestamps.append(seconds * 1_000_000_000)
            for f in 0..<fieldNames.count {
                let raw = f + 2 < parts.count ? parts[f + 2] : ""
                if let v = Double(raw) {
                    bits[f].append(v.bitPattern)
                    present[f].append(true)
                } else {
                    bits[f].append(0)
                    present[f].append(false)
                }
            }
        }
        excerpt.names = fieldNames
        excerpt.columns = fieldNames.indices.map {
            FieldColumn(name: fieldNames[$0], type: .float, bits: bits[$0], present: Bitmap(present[$0]))
        }
        return excerpt
    }

    @Test func householdPowerRoundTripsCompactly() throws {
        let excerpt = try Self.load()
        let rows = excerpt.timestamps.count
        #expect(rows == 1999)
        #expect(excerpt.columns.count == 7)
        #expect(excerpt.columns.allSatisfy { $0.present.popCount == rows - 2 })  // two '?' rows

        var scratch = ColumnScratch()
        var out = ByteWriter()
        ColumnBlock.encodeTimestamps(excerpt.timestamps, into: &out, scratch: &scratch)
        let decodedTimestamps = try out.bytes.withUnsafeBytes { raw throws in
            var r = ByteReader(raw)
            return try ColumnBlock.decodeTimestamps(&r, count: rows)
        }
        #expect(decodedTimestamps == excerpt.timestamps)
        var report = ["household power, \(rows) rows, bytes per value:",
                      "  timestamps: \(out.count) B, \(perValue(out.count, rows))"]

        var total = out.count
        for column in excerpt.columns {
            out.reset()
            ColumnBlock.encodeField(column, into: &out, scratch: &scratch)
            let codec = out.bytes[0], compression = out.bytes[1]
            // Meter readings are printed with fixed decimals: the decimal codec must apply.
            #expect(codec == ColumnCodecID.floatDecimal.rawValue, "\(column.name)")
            let decoded = try out.bytes.withUnsafeBytes { raw throws in
                var r = ByteReader(raw)
                let d = try ColumnBlock.decodeField(&r, name: column.name, type: .float, count: rows)
                #expect(r.isAtEnd)
                return d
            }
            #expect(decoded == column, "\(column.name)")
            total += out.count
            report.append("  \(column.name): \(out.count) B, \(perValue(out.count, rows))"
                          + " (codec \(codec), compression \(compression))")
        }
        report.append("  all 8 columns: \(total) B, \(perValue(total, rows)) per row (raw: 64 B per row)")
        print(report.joined(separator: "\n"))
    }

    private func perValue(_ bytes: Int, _ rows: Int) -> String {
        String(format: "%.3f", Double(bytes) / Double(rows))
    }
}
