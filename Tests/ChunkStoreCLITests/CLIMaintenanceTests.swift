import ChunkStore
import Foundation
import Testing

/// `chunkstore compact`, `drop` and `retain`, and a reader that keeps answering while
/// other processes compact and drop under it.
@Suite struct CLIMaintenanceTests {
    static let hour: Int64 = 3_600_000_000_000
    static let day: Int64 = 24 * hour
    /// 2026-01-01T00:00:00Z.
    static let start: Int64 = 20_454 * day

    /// Hourly rows of `devices` over `days`, as line protocol.
    static func lines(days: Range<Int64>, devices: [String] = ["a", "b"]) -> String {
        var out = ""
        for d in days {
            for device in devices {
                for h in Int64(0)..<24 {
                    out += "m,device=\(device) v=\(d * 100 + h) \(start + d * day + h * hour)\n"
                }
            }
        }
        return out
    }

    @Test func compactMergesSmallIngestsAndKeepsAnswers() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = cli.path("s")
        // One ingest per hour of day 0: 24 small chunks per device (auto compaction off
        // is not reachable from the CLI, so it keeps them within its trigger; then compact).
        for h in Int64(0)..<24 {
            let input = ["a", "b"].map { "m,device=\($0) v=\(h) \(Self.start + h * Self.hour)\n" }.joined()
            #expect(try cli.run(["ingest", "--db", db], input: input).status == 0)
        }
        let query = ["query", "--db", db, "--all-devices"]
        let before = try cli.run(query).stdout
        let result = try cli.run(["compact", "--db", db])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("device-days merged"), "\(result.stdout)")
        #expect(try cli.run(query).stdout == before)
        #expect(try cli.run(["info", "--db", db]).stdout.contains("chunks: 2\n"))
        let again = try cli.run(["compact", "--db", db])
        #expect(again.stdout.contains("nothing to compact"))
        #expect(try cli.run(["verify", "--db", db]).status == 0)
    }

    @Test func dropAndRetainReportAndRefuse() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = cli.path("s")
        #expect(try cli.run(["ingest", "--db", db], input: Self.lines(days: 0..<3)).status == 0)
        let dropped = try cli.run(["drop", "--db", db, "--before", "2026-01-02T06:00:00Z"])
        #expect(dropped.status == 0)
        #expect(dropped.stdout.contains("1 days (2026-01-01)") && dropped.stdout.contains("48 rows"), "\(dropped.stdout)")
        let one = try cli.run(["drop", "--db", db, "--before", "2026-01-03", "--device", "b"])
        #expect(one.stdout.contains("24 rows"), "\(one.stdout)")
        let unknown = try cli.run(["drop", "--db", db, "--before", "2026-01-03", "--device", "bb"])
        #expect(unknown.status == 66 && unknown.stderr.contains("did you mean"), "\(unknown.stderr)")
        #expect(try cli.run(["drop", "--db", db, "--before", "yesterday"]).status == 64)
        #expect(try cli.run(["drop", "--db", db]).status == 64)
        let rows = csvRows(try cli.run(["query", "--db", db, "--all-devices"]).stdout)
        #expect(rows.count == 1 + 72)

        #expect(try cli.run(["retain", "--db", db]).stdout == "retention: off\n")
        #expect(try cli.run(["retain", "--db", db, "1mo"]).status == 64)
        #expect(try cli.run(["retain", "--db", db, "-3d"]).status == 64)
        let set = try cli.run(["retain", "--db", db, "2w"])
        #expect(set.status == 0)
        // Every stored day is long past two weeks: all of it goes.
        #expect(set.stdout.hasPrefix("retention: 2w; dropped 2 days"), "\(set.stdout)")
        #expect(try cli.run(["retain", "--db", db]).stdout == "retention: 2w\n")
        #expect(try cli.run(["info", "--db", db]).stdout.contains("\nretention: 2w\n"))
        let now = Int64(Date().timeIntervalSince1970) * 1_000_000_000
        let ingest = try cli.run(["ingest", "--db", db], input: "m,device=a v=1 \(Self.start)\nm,device=a v=2 \(now)\n")
        #expect(ingest.status == 65)
        #expect(ingest.stderr.contains("line 1:") && ingest.stderr.contains("retention"), "\(ingest.stderr)")
        #expect(try cli.run(["last", "--db", db, "--device", "a"]).stdout.contains("2.0"))
        #expect(try cli.run(["retain", "--db", db, "off"]).stdout == "retention: off\n")
    }

    /// Other processes compact and drop while this one reads day 3 (never dropped) through
    /// one long-lived reader: every answer equals the first, and no query fails.
    @Test func readerKeepsAnsweringWhileOthersCompactAndDrop() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = cli.path("s")
        #expect(try cli.run(["ingest", "--db", db], input: Self.lines(days: 0..<4)).status == 0)
        let reader = try Store.openReader(at: db)
        let dayThree = (from: Self.start + 3 * Self.day, to: Self.start + 4 * Self.day)
        func answer() throws -> String {
            let range = try reader.range(device: "a", from: dayThree.from, to: dayThree.to)
            let agg = try reader.downsample(DownsampleQuery(device: "b", from: dayThree.from, to: dayThree.to, fields: ["v"],
                                                            bucket: .nanoseconds(6 * Self.hour), functions: [.mean, .count]))
            return "\(range.timestamps) \(range.values) \(agg)"
        }
        let reference = try answer()

        // The writer's side, in other processes: re-send day 3 unchanged (fragmenting it),
        // compact (rewriting its file under the reader), and drop the older days one by one.
        let work = DispatchQueue(label: "writers")
        let done = DispatchSemaphore(value: 0)
        // Written by the writers' thread only, read here after `done` is signalled.
        final class Failures: @unchecked Sendable { var list: [String] = [] }
        let failures = Failures()
        work.async {
            defer { done.signal() }
            for round in 0..<12 {
                do {
                    let resend = try cli.run(["ingest", "--db", db], input: Self.lines(days: 3..<4))
                    let compact = try cli.run(["compact", "--db", db])
                    var statuses = [resend.status, compact.status]
                    if round % 4 == 3 {
                        let before = "2026-01-0\(round / 4 + 2)"
                        statuses.append(try cli.run(["drop", "--db", db, "--before", before]).status)
                    }
                    if statuses.contains(where: { $0 != 0 }) { failures.list.append("round \(round): \(statuses)") }
                } catch {
                    failures.list.append("round \(round): \(error)")
                }
            }
        }
        var queries = 0
        while done.wait(timeout: .now()) == .timedOut {
            #expect(try answer() == reference)
            queries += 1
        }
        #expect(failures.list.isEmpty, "\(failures.list)")
        #expect(try answer() == reference)
        #expect(try reader.range(device: "a").timestamps.first == Self.start + 3 * Self.day)
        #expect(try reader.verify().isEmpty)
        print("reader under compaction and drops: \(queries) queries, all equal")
    }
}
