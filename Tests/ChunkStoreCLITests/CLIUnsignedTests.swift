import Foundation
import Testing

/// Unsigned integers (`123u`) are stored exactly, up to 2^64-1, end to end.
@Suite struct CLIUnsignedTests {
    @Test func unsignedValuesRoundTripThroughQueryLastAndDownsample() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let input = "m,device=d big=18446744073709551615u,small=3u 1795996800\nm,device=d big=9223372036854775808u,small=5u 1795996860\n"
        let put = try cli.run(["ingest", "--db", "db"], input: input)
        #expect(put.status == 0, "\(put.stderr)")
        let rows = csvRows(try cli.run(["query", "--db", "db", "--device", "d", "--output", "csv"]).stdout)
        #expect(rows.map { Array($0.dropFirst(2)) } == [["big", "small"], ["18446744073709551615", "3"], ["9223372036854775808", "5"]])
        let json = try cli.run(["query", "--db", "db", "--device", "d", "--output", "json"]).stdout
        #expect(json.contains(#""big":18446744073709551615"#))
        let last = csvRows(try cli.run(["last", "--db", "db"]).stdout)
        #expect(last.last?.suffix(2) == ["9223372036854775808", "5"])
        let agg = csvRows(try cli.run(["query", "--db", "db", "--device", "d", "--agg", "1h", "--fn", "min,max,sum,first,last",
                                       "--output", "csv"]).stdout)
        #expect(agg.first?.dropFirst(2).prefix(5) == ["big_min", "big_max", "big_sum", "big_first", "big_last"])
        // min/max/first/last keep the exact unsigned value; sum is a float (as for int fields).
        #expect(agg.last?.dropFirst(2).prefix(5) == ["9223372036854775808", "18446744073709551615", "2.7670116110564327e+19",
                                                      "18446744073709551615", "9223372036854775808"])
        let devices = try cli.run(["devices", "--db", "db"]).stdout
        #expect(devices.contains("big:uint"))
        // Too large even for uint, or negative: rejected with the reason.
        let bad = try cli.run(["ingest", "--db", "db"], input: "m,device=d big=18446744073709551616u 1795996900\nm,device=d big=-1u 1795996901\n")
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("out of range for a 64-bit unsigned integer"))
    }

    @Test func anIntFieldKeepsTakingUnsignedValuesThatFit() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let input = "m,device=e n=5i 1795996800\nm,device=e n=7u 1795996801\nm,device=e n=8u 1795996802\nm,device=e n=18446744073709551615u 1795996803\n"
        let put = try cli.run(["ingest", "--db", "db"], input: input)
        #expect(put.status == 65)
        #expect(put.stderr.contains("line 4:"))
        let rows = csvRows(try cli.run(["query", "--db", "db", "--device", "e", "--output", "csv"]).stdout)
        #expect(rows.map(\.last) == ["n", "5", "7", "8"])
        #expect(try cli.run(["devices", "--db", "db"]).stdout.contains("n:int"))
    }
}
