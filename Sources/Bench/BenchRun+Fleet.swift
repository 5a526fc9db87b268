import ChunkStore
import Foundation

/// The fleet workloads (issue 14): rules overhead on line-protocol ingest, and the fleet
/// summary. Both generate their own data, so they run without the main dataset.
extension BenchRun {
    static let fleetDeviceCount = 10_000

    /// 100 rules; rule i watches devices whose id ends in digit i % 10, so every device is
    /// evaluated against 10 rules: thresholds above/below, some with a `for`, some stale.
    /// Thresholds sit in the tails of the generated values, so alerts are rare (as in a
    /// healthy fleet) but do fire.
    static func fleetRules() -> String {
        let rules = (0..<100).map { i -> String in
            let pattern = "\"devices\": \"meter-*\(i % 10)\""
            switch i % 4 {
            case 0: return #"{"name": "hot-\#(i)", "field": "power_w", \#(pattern), "above": \#(2999 + Double(i % 10) / 100), "severity": "critical"}"#
            case 1: return #"{"name": "hot-for-\#(i)", "field": "power_w", \#(pattern), "above": \#(2990 + i % 10), "for": "2m", "severity": "warning"}"#
            case 2: return #"{"name": "sag-\#(i)", "field": "voltage_v", \#(pattern), "below": 220.01, "severity": "info"}"#
            default: return #"{"name": "silent-\#(i)", \#(pattern), "stale": "30m", "severity": "warning"}"#
            }
        }
        return "{\"rules\": [\n" + rules.joined(separator: ",\n") + "\n]}"
    }

    /// Line protocol for 10,000 meters × `minutes` one-minute readings, hour-batched by time.
    static func fleetLineProtocol(devices: Int, minutes: Int, start: Int64) -> [UInt8] {
        var rng = SplitMix64(seed: 14)
        var out: [UInt8] = []
        out.reserveCapacity(devices * minutes * 90)
        var energy = [Double](repeating: 0, count: devices)
        for m in 0..<minutes {
            let ts = start + Int64(m) * 60_000_000_000
            for d in 0..<devices {
                let power = Double(Int(rng.next() % 30_000)) / 10
                let volt = 220 + Double(Int(rng.next() % 2000)) / 100
                energy[d] += power / 60_000
                let e = (energy[d] * 1000).rounded() / 1000
                out += Array("meter,device=meter-\(String(d + 100_000).dropFirst()) power_w=\(power),voltage_v=\(volt),energy_kwh=\(e) \(ts)\n".utf8)
            }
        }
        return out
    }

    /// Line-protocol ingest of 10,000 devices with no rules and with 100 rules.
    func fleetRulesOverhead() throws {
        let devices = options.quick ? 1_000 : BenchRun.fleetDeviceCount
        let minutes = options.quick ? 10 : 60
        // Readings up to now, so stale rules (checked against the wall clock) stay quiet.
        let start = Int64(Date().timeIntervalSince1970) * 1_000_000_000 - Int64(minutes) * 60_000_000_000
        let text = BenchRun.fleetLineProtocol(devices: devices, minutes: minutes, start: start)
        let rules = Array(BenchRun.fleetRules().utf8)
        say("  \(devices) devices × \(minutes) readings, \(text.count / 1_000_000) MB of line protocol, 100 rules")
        var alertEvents = 0
        func ingest(withRules: Bool) throws -> Double {
            let path = dir + "/cs-fleet-rules"
            removeTree(path)
            try Store.open(at: path, options: BenchRun.storeOptions).close()
            if withRules { _ = try Store.setRules(rules, store: path) }
            let t0 = now()
            let store = try Store.open(at: path, options: BenchRun.storeOptions)
            let ingester = Ingester(store: store, format: .lp, now: { 0 })
            var rejected = 0
            _ = try text.withUnsafeBytes { try ingester.ingest(buffer: $0) { _ in rejected += 1; return true } }
            try store.close()
            let seconds = Double(now() - t0) / 1e9
            guard rejected == 0 else { throw BenchError("fleet-rules: \(rejected) generated lines rejected") }
            if withRules {
                let events = try Store.openReader(at: path).alerts().count
                guard events > 0 else { throw BenchError("fleet-rules: the rules raised no alert") }
                alertEvents = events
            }
            removeTree(path)
            return seconds
        }
        // Interleaved runs, so drift in the machine's load affects both sides alike.
        _ = try ingest(withRules: false)
        _ = try ingest(withRules: true)
        var plain: [Double] = [], ruled: [Double] = []
        for i in 0..<max(3, options.runs) {
            plain.append(try ingest(withRules: false))
            ruled.append(try ingest(withRules: true))
            say(String(format: "    run %d: no rules %.3f s, 100 rules %.3f s", i + 1, plain.last ?? 0, ruled.last ?? 0))
        }
        let rows = Double(devices * minutes)
        say("  \(alertEvents) alert events per run")
        report.extra["fleetRules"] = ["devices": devices, "readings": devices * minutes, "rules": 100, "alertEvents": alertEvents]
        let overhead = (median(ruled) / median(plain) - 1) * 100
        report.add(Figure(workload: "fleet-rules", metric: "lp ingest rows/s, no rules", unit: "rows/s", chunkstore: rows / median(plain),
                          sqlite: nil, higherIsBetter: true))
        report.add(Figure(workload: "fleet-rules", metric: "lp ingest rows/s, 100 rules", unit: "rows/s", chunkstore: rows / median(ruled),
                          sqlite: nil, higherIsBetter: true))
        report.add(Figure(workload: "fleet-rules", metric: "rules overhead", unit: "%", chunkstore: overhead, sqlite: nil,
                          higherIsBetter: false, target: "≤10%", met: overhead <= 10))
    }

    /// `summary` of 10,000 devices over one day of 15-minute readings, and with 8 clusters.
    func fleetSummary() throws {
        let devices = options.quick ? 1_000 : BenchRun.fleetDeviceCount
        let path = dir + "/cs-fleet-summary"
        removeTree(path)
        let start: Int64 = 1_704_067_200 * 1_000_000_000
        let store = try Store.open(at: path, options: StoreOptions())
        var rng = SplitMix64(seed: 15)
        for d in 0..<devices {
            let ts = (0..<96).map { start + Int64($0) * 900_000_000_000 }
            let peak = Int(d % 4) * 6
            let power = (0..<96).map { q in (q / 4 >= peak && q / 4 < peak + 4 ? 2000.0 : 300.0) + Double(rng.next() % 100) }
            var e = 0.0
            let energy = power.map { p -> Double in e += p / 4000; return e }
            try store.append(ColumnBatch(device: "meter-\(String(d + 100_000).dropFirst())", timestamps: ts,
                                         columns: [.init(name: "power_w", values: .float(power)), .init(name: "energy_kwh", values: .float(energy))]))
        }
        try store.close()
        let reader = try Store.openReader(at: path)
        var request = SummaryRequest(from: start, to: start + 86_400_000_000_000)
        request.fields = ["power_w"]
        request.counter = "energy_kwh"
        let plain = try timed("summary", warmUp: { _ = try reader.summary(request) }) {
            let t0 = now()
            let s = try reader.summary(request)
            guard s.devices.count == devices else { throw BenchError("fleet-summary: \(s.devices.count) devices") }
            return Double(now() - t0) / 1e9
        }
        request.clusters = 8
        let clustered = try timed("summary --clusters 8", warmUp: {}) {
            let t0 = now()
            _ = try reader.summary(request)
            return Double(now() - t0) / 1e9
        }
        // Without percentiles, gaps and the counter: from the chunks' statistics and rollups.
        request.percentiles = false
        request.gaps = false
        request.counter = nil
        request.clusters = 0
        let lean = try timed("summary --no-percentiles --no-gaps", warmUp: { _ = try reader.summary(request) }) {
            let t0 = now()
            let s = try reader.summary(request)
            guard s.devices.count == devices else { throw BenchError("fleet-summary: \(s.devices.count) devices") }
            return Double(now() - t0) / 1e9
        }
        request.clusters = 8
        let leanClustered = try timed("summary --no-percentiles --no-gaps --clusters 8", warmUp: {}) {
            let t0 = now()
            _ = try reader.summary(request)
            return Double(now() - t0) / 1e9
        }
        try reader.close()
        removeTree(path)
        report.add(Figure(workload: "fleet-summary", metric: "summary, \(devices) devices × 1 day", unit: "s", chunkstore: plain, sqlite: nil,
                          higherIsBetter: false, target: "<1 s", met: plain < 1))
        report.add(Figure(workload: "fleet-summary", metric: "summary --clusters 8", unit: "s", chunkstore: clustered, sqlite: nil,
                          higherIsBetter: false))
        report.add(Figure(workload: "fleet-summary", metric: "summary --no-percentiles --no-gaps", unit: "s", chunkstore: lean,
                          sqlite: nil, higherIsBetter: false))
        report.add(Figure(workload: "fleet-summary", metric: "summary --no-percentiles --no-gaps --clusters 8", unit: "s",
                          chunkstore: leanClustered, sqlite: nil, higherIsBetter: false))
    }
}
