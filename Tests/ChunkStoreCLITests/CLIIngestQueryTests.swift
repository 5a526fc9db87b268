import Foundation
import Testing

/// 2026-01-01T00:00:00Z in seconds.
let t0: Int64 = 1_767_225_600

@Suite struct CLIIngestQueryTests {
    @Test func lineProtocolInCSVOutValuesEqual() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        var lines: [String] = []
        var expected: [(ts: Int64, power: Double, volt: Int64, on: Bool)] = []
        for i in 0..<50 {
            let power = Double(i) * 123.456 - 1000.125 + (i % 3 == 0 ? 1e-7 : 0)
            let volt = Int64(228 + i % 5)
            let on = i % 2 == 0
            let ts = (t0 + Int64(i) * 5) * 1_000_000_000 + Int64(i)
            expected.append((ts, power, volt, on))
            lines.append("meter,device=m-1,site=north power_w=\(power),volt=\(volt)i,on=\(on ? "t" : "F") \(ts)")
        }
        let ingest = try cli.run(["ingest", "--db", "db"], input: lines.joined(separator: "\n") + "\n")
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stderr.contains("ingested 50 rows, 150 points, 0 rejected lines"))

        let query = try cli.run(["query", "--db", "db", "--device", "m-1", "--output", "csv", "--epoch", "ns"])
        #expect(query.status == 0, "\(query.stderr)")
        let rows = csvRows(query.stdout)
        #expect(rows.first == ["device", "time", "on", "power_w", "volt"])
        #expect(rows.count == 51)
        for (row, e) in zip(rows.dropFirst(), expected) {
            #expect(row[0] == "m-1")
            #expect(Int64(row[1]) == e.ts)
            #expect(row[2] == (e.on ? "true" : "false"))
            #expect(Double(row[3]) == e.power, "\(row[3]) != \(e.power)")
            #expect(Int64(row[4]) == e.volt)
        }
    }

    @Test func csvFromStdin() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let input = """
            device,ts,power_w,volt
            m1,2026-01-01T00:00:00Z,1.5,230.0
            m1,2026-01-01T01:00:00.5+01:00,,231.25
            m2,\(t0 + 10),7,
            """
        let ingest = try cli.run(["ingest", "--db", "db", "--format", "csv", "--precision", "s"], input: input + "\n")
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let out = try cli.run(["query", "--db", "db", "--all-devices", "--output", "csv"])
        #expect(out.status == 0)
        #expect(csvRows(out.stdout) == [
            ["device", "time", "power_w", "volt"],
            ["m1", "2026-01-01T00:00:00.000000000Z", "1.5", "230.0"],
            ["m1", "2026-01-01T00:00:00.500000000Z", "", "231.25"],
            ["m2", "2026-01-01T00:00:10.000000000Z", "7", ""],
        ])
    }

    @Test func jsonLinesFromStdin() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let input = """
            {"device":"j1","ts":\(t0 * 1000),"temp":21.5,"count":3,"open":false}
            {"device":"j1","ts":"2026-01-01T00:00:01Z","fields":{"temp":22.0,"open":true}}
            """
        let ingest = try cli.run(["ingest", "--db", "db", "--format", "jsonl", "--precision", "ms"], input: input)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let out = try cli.run(["query", "--db", "db", "--device", "j1", "--output", "jsonl", "--field", "temp", "--field", "open"])
        #expect(out.status == 0)
        #expect(out.stdout == """
            {"device":"j1","time":"2026-01-01T00:00:00.000000000Z","temp":21.5,"open":false}
            {"device":"j1","time":"2026-01-01T00:00:01.000000000Z","temp":22.0,"open":true}

            """)
    }

    /// Two devices, ten minutes of readings every minute, a string field and a broken line.
    static func sampleStore(_ cli: CLI) throws {
        var lines: [String] = []
        for i in 0..<10 {
            for d in ["a", "b\"quoted,name"] {
                let device = d.replacingOccurrences(of: ",", with: "\\,")  // tag values escape commas, not quotes
                lines.append("m,device=\(device) power_w=\(Double(i) + (d == "a" ? 0 : 100)),volt=230i \((t0 + Int64(i) * 60) * 1_000_000_000)")
            }
        }
        let result = try cli.run(["ingest", "--db", "db"], input: lines.joined(separator: "\n"))
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func everyOutputFormat() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try Self.sampleStore(cli)

        let csv = try cli.run(["query", "--db", "db", "--all-devices", "--to", "\(t0 + 60)s"])  // csv: not a terminal
        #expect(csv.stdout == """
            device,time,power_w,volt
            a,2026-01-01T00:00:00.000000000Z,0.0,230
            "b""quoted,name",2026-01-01T00:00:00.000000000Z,100.0,230

            """)

        let table = try cli.run(["query", "--db", "db", "--device", "a", "--from", "2026-01-01T00:08:00Z", "--output", "table"])
        #expect(table.stdout == """
            device  time                            power_w  volt
            a       2026-01-01T00:08:00.000000000Z      8.0   230
            a       2026-01-01T00:09:00.000000000Z      9.0   230

            """)

        let json = try cli.run(["query", "--db", "db", "--all-devices", "--output", "json", "--epoch", "s", "--to", "\(t0 + 60)s"])
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(parsed?.count == 2)
        #expect(parsed?[1]["device"] as? String == "b\"quoted,name")
        #expect((parsed?[1]["time"] as? NSNumber)?.int64Value == t0)
        #expect((parsed?[1]["power_w"] as? NSNumber)?.doubleValue == 100)

        let jsonl = try cli.run(["query", "--db", "db", "--device", "a", "--output", "jsonl", "--epoch", "ms", "--from", "\(t0 + 540)s"])
        #expect(jsonl.stdout == "{\"device\":\"a\",\"time\":\((t0 + 540) * 1000),\"power_w\":9.0,\"volt\":230}\n")

        let empty = try cli.run(["query", "--db", "db", "--device", "a", "--output", "json", "--from", "now"])
        #expect(empty.stdout == "[]\n")
    }

    @Test func downsampledColumnsPerFieldAndFunction() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try Self.sampleStore(cli)
        let out = try cli.run(["query", "--db", "db", "--all-devices", "--agg", "5m", "--fn", "mean,min,max,count",
                               "--field", "power_w", "--output", "csv"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(csvRows(out.stdout) == [
            ["device", "time", "power_w_mean", "power_w_min", "power_w_max", "power_w_count"],
            ["a", "2026-01-01T00:00:00.000000000Z", "2.0", "0.0", "4.0", "5"],
            ["a", "2026-01-01T00:05:00.000000000Z", "7.0", "5.0", "9.0", "5"],
            ["b\"quoted,name", "2026-01-01T00:00:00.000000000Z", "102.0", "100.0", "104.0", "5"],
            ["b\"quoted,name", "2026-01-01T00:05:00.000000000Z", "107.0", "105.0", "109.0", "5"],
        ])
        let mean = try cli.run(["query", "--db", "db", "--device", "a", "--agg", "1h", "--output", "csv"])
        #expect(csvRows(mean.stdout) == [
            ["device", "time", "power_w_mean", "volt_mean"],
            ["a", "2026-01-01T00:00:00.000000000Z", "4.5", "230.0"],
        ])
    }

    @Test func lastDevicesInfoVerify() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try Self.sampleStore(cli)
        let last = try cli.run(["last", "--db", "db", "--device", "a", "--output", "csv"])
        #expect(last.stdout == "device,time,power_w,volt\na,2026-01-01T00:09:00.000000000Z,9.0,230\n")
        let devices = try cli.run(["devices", "--db", "db", "--output", "jsonl", "--epoch", "s"])
        #expect(devices.stdout.split(separator: "\n").first == "{\"device\":\"a\",\"fields\":[{\"name\":\"power_w\",\"type\":\"float\"},{\"name\":\"volt\",\"type\":\"int\"}],\"first\":\(t0),\"last\":\(t0 + 540),\"rows\":10,\"points\":20}")
        let info = try cli.run(["info", "--db", "db"])
        #expect(info.status == 0)
        #expect(info.stdout.contains("devices: 2\n"))
        #expect(info.stdout.contains("rows: 20\n"))
        let verify = try cli.run(["verify", "--db", "db"])
        #expect(verify.status == 0)
        #expect(verify.stdout.hasPrefix("ok: "))
    }

    @Test func defaultStorePathAndEnvironment() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let put = try cli.run(["ingest", "--precision", "ns"], input: "m,device=d x=1 1\n")
        #expect(put.status == 0, "\(put.stderr)")
        #expect(FileManager.default.fileExists(atPath: cli.path("chunkstore-data")))
        #expect(try cli.run(["query", "--device", "d", "--epoch", "ns"]).stdout == "device,time,x\nd,1,1.0\n")

        let env = ["CHUNKSTORE_DB": cli.path("from-env")]
        #expect(try cli.run(["ingest", "--precision", "ns"], input: "m,device=e y=2 2\n", environment: env).status == 0)
        #expect(FileManager.default.fileExists(atPath: cli.path("from-env")))
        #expect(try cli.run(["last", "--epoch", "ns"], environment: env).stdout == "device,time,y\ne,2,2.0\n")
        // --db wins over the environment.
        #expect(try cli.run(["last", "--db", "chunkstore-data", "--epoch", "ns"], environment: env).stdout == "device,time,x\nd,1,1.0\n")
    }

    @Test func deviceTagPrecisionAndMissingTimestamp() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let input = "cpu,host=h1,region=eu usage=0.5 \(t0)\ncpu,region=eu usage=0.25 \(t0)\nmem,host=h1 used=1i\n"
        let before = Int64(Date().timeIntervalSince1970)
        let ingest = try cli.run(["ingest", "--db", "db", "--device-tag", "host", "--precision", "s"], input: input)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let devices = try cli.run(["devices", "--db", "db", "--output", "csv"])
        #expect(csvRows(devices.stdout).map(\.first) == ["device", "cpu,region=eu", "h1"])
        let last = try cli.run(["last", "--db", "db", "--device", "h1", "--epoch", "s", "--output", "csv"])
        #expect(csvRows(last.stdout).first == ["device", "time", "used"])
        let row = try #require(csvRows(last.stdout).dropFirst().first)
        #expect((Int64(row[1]) ?? 0) >= before, "a line without a timestamp is stored at now")
        #expect(row.last == "1")
    }
}

/// Without `--precision` an epoch is read by its magnitude (the issue's example stored
/// seconds as nanoseconds in 1970).
@Suite struct CLIAutoPrecisionTests {
    @Test func secondsMillisecondsAndNanosecondsLandOnTheSameInstant() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let lp = try cli.run(["ingest", "--db", "db"], input: "m,device=d p=1 1795996800\nm,device=e p=2 1795996800000000000\n")
        #expect(lp.status == 0, "\(lp.stderr)")
        let csv = try cli.run(["ingest", "--db", "db", "--format", "csv"], input: "device,ts,q\nd,1795996800000,3\n")
        #expect(csv.status == 0, "\(csv.stderr)")
        let json = try cli.run(["ingest", "--db", "db", "--format", "jsonl"], input: #"{"device":"e","ts":1795996800000000,"q":4}"# + "\n")
        #expect(json.status == 0, "\(json.stderr)")
        let out = try cli.run(["query", "--db", "db", "--all-devices", "--output", "csv"])
        #expect(csvRows(out.stdout) == [
            ["device", "time", "p", "q"],
            ["d", "2026-11-30T00:00:00.000000000Z", "1.0", "3"],
            ["e", "2026-11-30T00:00:00.000000000Z", "2.0", "4"],
        ])
        let help = try cli.run(["ingest", "--help"])
        #expect(help.stdout.contains("auto"))
        let explicit = try cli.run(["ingest", "--db", "db2", "--precision", "ns"], input: "m,device=d p=1 1795996800\n")
        #expect(explicit.status == 0)
        let raw = try cli.run(["query", "--db", "db2", "--device", "d", "--output", "csv", "--epoch", "ns"])
        #expect(csvRows(raw.stdout).last == ["d", "1795996800", "1.0"])
    }
}

/// CSV cells typed as in JSONL, and `--keep-good-cells`.
@Suite struct CLICSVCellTests {
    @Test func csvRoundTripKeepsIntFieldsInt() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let put = try cli.run(["ingest", "--db", "a"], input: "m,device=d n=5i,x=2.5,ok=t 1795996800\nm,device=d n=-7i,x=3,ok=F 1795996801\n")
        #expect(put.status == 0, "\(put.stderr)")
        let out = try cli.run(["query", "--db", "a", "--device", "d", "--output", "csv"])
        #expect(out.status == 0)
        let back = try cli.run(["ingest", "--db", "b", "--format", "csv"], input: out.stdout)
        #expect(back.status == 0, "\(back.stderr)")
        let info = try cli.run(["devices", "--db", "b"])
        #expect(info.stdout.contains("n:int") && info.stdout.contains("x:float") && info.stdout.contains("ok:bool"), "\(info.stdout)")
        let again = try cli.run(["query", "--db", "b", "--device", "d", "--output", "csv"])
        #expect(again.stdout == out.stdout)
    }

    @Test func keepGoodCellsStoresTheRowAndReportsTheCell() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let input = "device,ts,power_w,volt\nm1,1795996800,ERR,230.5\nm1,1795996801,1.5,231.0\n"
        let strictRow = try cli.run(["ingest", "--db", "a", "--format", "csv"], input: input)
        #expect(strictRow.status == 65)
        #expect(strictRow.stderr.contains("line 2:"))
        let rowsA = csvRows(try cli.run(["query", "--db", "a", "--device", "m1", "--output", "csv"]).stdout)
        #expect(rowsA.count == 2, "the default rejects the whole row")

        let kept = try cli.run(["ingest", "--db", "b", "--format", "csv", "--keep-good-cells"], input: input)
        #expect(kept.status == 65)
        #expect(kept.stderr.contains(#"line 2: column "power_w": value "ERR""#), "\(kept.stderr)")
        #expect(kept.stderr.contains("1 bad cell skipped"), "\(kept.stderr)")
        let rowsB = csvRows(try cli.run(["query", "--db", "b", "--device", "m1", "--output", "csv"]).stdout)
        #expect(rowsB.count == 3)
        #expect(rowsB[1].suffix(2) == ["", "230.5"])
        let wrongFormat = try cli.run(["ingest", "--db", "c", "--keep-good-cells"], input: "")
        #expect(wrongFormat.status == 64)
    }
}
