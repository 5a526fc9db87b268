import ChunkStore
import Foundation

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and the same sequence on every
/// platform, which is all a reproducible benchmark needs from its random numbers.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [lo, hi).
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }

    /// Uniform integer in [0, n).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }

    /// Standard normal (Box–Muller; one of the pair is discarded to keep the state simple).
    mutating func gaussian() -> Double {
        let u1 = max(unit(), 0x1.0p-60), u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

/// Field names of the generated meters, in the order the SQLite table declares them.
enum MeterFields {
    static let all: [(name: String, type: FieldType)] = [
        ("power", .float), ("voltage", .float), ("current", .float), ("energy", .int),
    ]
}

/// Parameters of generated data.
struct GeneratorParameters: Sendable {
    var seed: UInt64 = 42
    var devices = 50
    var days = 7
    /// Nominal seconds between readings.
    var intervalSeconds = 5.0
    /// Seconds of readings per appended batch (a gateway uploading hourly).
    var batchSeconds = 3600
    /// Fraction of readings that arrive late, at the end of the device's next batch.
    var lateFraction = 0.001
    /// Fraction of readings that are simply lost.
    var missingFraction = 0.002
    /// First reading: 2024-01-01T00:00:00Z.
    var startNanos: Int64 = 1_704_067_200 * 1_000_000_000

    var intervalNanos: Int64 { Int64((intervalSeconds * 1e9).rounded()) }
    var spanNanos: Int64 { Int64(days) * 86_400 * 1_000_000_000 }
    var batchCount: Int { Int((spanNanos + Int64(batchSeconds) * 1_000_000_000 - 1) / (Int64(batchSeconds) * 1_000_000_000)) }
}

/// One simulated smart meter: a household load with a daily curve, mains voltage that
/// sags under load and wanders slowly, current from both, and an energy register.
///
/// Values are rounded as meters report them: power and voltage to 0.1, current to 0.01,
/// energy as whole watt-hours. Timestamps are milliseconds (as most meters send them)
/// with a per-device phase and jitter. A few readings are lost, now and then the meter
/// is offline for minutes, and a small fraction arrives late, with the next upload.
struct MeterDevice {
    let name: String
    private var rng: SplitMix64
    private let baseLoad: Double
    private let peakLoad: Double
    private let curveShiftMinutes: Int
    private let nominalVoltage: Double
    private let voltagePhase: Double
    private let powerFactor: Double
    private let phaseNanos: Int64
    private var applianceLoad = 0.0
    private var applianceStepsLeft = 0
    private var voltageWander = 0.0
    private var loadNoise = 0.0
    private var energyWh: Double
    private var offlineUntil: Int64 = .min
    private var late: [Reading] = []
    private var slot: Int64 = 0

    struct Reading {
        var ts: Int64
        var power: Double
        var voltage: Double
        var current: Double
        var energy: Int64
    }

    /// Load curve: night base, a morning and a larger evening peak, a midday bump; one
    /// value per minute of the day.
    private static let curve: [Double] = (0..<1440).map { minute in
        let h = Double(minute) / 60
        func bump(_ centre: Double, _ width: Double) -> Double { exp(-(h - centre) * (h - centre) / (2 * width * width)) }
        return 0.10 + 0.45 * bump(7.5, 1.1) + 0.25 * bump(13, 1.8) + 0.90 * bump(19.5, 2.0)
    }
    private static let dailyVoltage: [Double] = (0..<1440).map { minute in
        sin(2 * Double.pi * Double(minute) / 1440 - 2.0)
    }

    init(index: Int, parameters: GeneratorParameters) {
        name = MeterDevice.name(index)
        rng = SplitMix64(seed: parameters.seed &* 0x9E37_79B9 &+ UInt64(index) &* 0xD1B5_4A32_D192_ED03 &+ 1)
        baseLoad = rng.uniform(80, 400)
        peakLoad = rng.uniform(600, 3500)
        curveShiftMinutes = rng.below(121) - 60
        nominalVoltage = rng.unit() < 0.1 ? 240 : 230
        voltagePhase = rng.uniform(-1, 1)
        powerFactor = rng.uniform(0.90, 0.99)
        // Devices do not report in lock step: a phase within the interval, in whole ms.
        phaseNanos = Int64(rng.below(max(1, Int(parameters.intervalSeconds * 1000)))) * 1_000_000
        energyWh = rng.uniform(1_000_000, 40_000_000)
    }

    static func name(_ index: Int) -> String {
        let digits = String(index)
        return "meter-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    /// Readings whose nominal time falls in [from, to), then those held back from the
    /// previous batch (so they arrive out of order).
    mutating func batch(from: Int64, to: Int64, parameters p: GeneratorParameters, final: Bool) -> ColumnBatch {
        let interval = p.intervalNanos
        let jitterMs = max(0, min(100, Int(p.intervalSeconds * 1000) / 20))
        var ts: [Int64] = [], power: [Double] = [], voltage: [Double] = [], current: [Double] = [], energy: [Int64] = []
        let expected = Int((to - max(from, p.startNanos)) / interval) + 2
        ts.reserveCapacity(expected); power.reserveCapacity(expected); voltage.reserveCapacity(expected)
        current.reserveCapacity(expected); energy.reserveCapacity(expected)
        var held: [Reading] = []
        let dtHours = p.intervalSeconds / 3600
        while true {
            let nominal = p.startNanos + slot * interval + phaseNanos
            if nominal >= to || nominal >= p.startNanos + p.spanNanos { break }
            slot += 1
            if nominal < from { continue }
            let reading = step(nominal: nominal, jitterMs: jitterMs, dtHours: dtHours, parameters: p)
            // The register keeps counting while a reading is lost.
            if nominal < offlineUntil { continue }
            if rng.unit() < 1.0 / 40_000 {
                offlineUntil = nominal + Int64(60 + rng.below(30 * 60)) * 1_000_000_000
                continue
            }
            if rng.unit() < p.missingFraction { continue }
            if !final && rng.unit() < p.lateFraction { held.append(reading); continue }
            ts.append(reading.ts); power.append(reading.power); voltage.append(reading.voltage)
            current.append(reading.current); energy.append(reading.energy)
        }
        for r in late {
            ts.append(r.ts); power.append(r.power); voltage.append(r.voltage); current.append(r.current); energy.append(r.energy)
        }
        late = held
        return ColumnBatch(device: name, timestamps: ts, columns: [
            .init(name: "power", values: .float(power)),
            .init(name: "voltage", values: .float(voltage)),
            .init(name: "current", values: .float(current)),
            .init(name: "energy", values: .int(energy)),
        ])
    }

    private mutating func step(nominal: Int64, jitterMs: Int, dtHours: Double, parameters p: GeneratorParameters) -> Reading {
        let jitter = Int64(jitterMs == 0 ? 0 : rng.below(2 * jitterMs + 1) - jitterMs) * 1_000_000
        let ts = nominal + jitter
        let dayNanos: Int64 = 86_400_000_000_000
        let minuteOfDay = Int(((ts % dayNanos + dayNanos) % dayNanos) / 60_000_000_000)
        let shifted = ((minuteOfDay + curveShiftMinutes) % 1440 + 1440) % 1440

        // Appliances (kettle, oven, washer) switch on for a while, then off.
        if applianceStepsLeft > 0 {
            applianceStepsLeft -= 1
            if applianceStepsLeft == 0 { applianceLoad = 0 }
        } else if rng.unit() < 0.002 {
            applianceLoad = rng.uniform(500, 2500)
            applianceStepsLeft = 6 + rng.below(240)
        }
        loadNoise = 0.9 * loadNoise + 0.1 * rng.gaussian()
        var watts = baseLoad + peakLoad * MeterDevice.curve[shifted] + applianceLoad
        watts *= 1 + 0.08 * loadNoise + 0.01 * rng.gaussian()
        watts = max(0, watts)

        voltageWander = 0.995 * voltageWander + 0.05 * rng.gaussian()
        let volts = nominalVoltage + 2.5 * MeterDevice.dailyVoltage[shifted] + voltagePhase + voltageWander
            - watts * 0.0008 + 0.15 * rng.gaussian()

        let power = (watts * 10).rounded() / 10
        let voltage = (volts * 10).rounded() / 10
        let current = (power / (voltage * powerFactor) * 100).rounded() / 100
        energyWh += power * dtHours
        return Reading(ts: ts, power: power, voltage: voltage, current: current, energy: Int64(energyWh))
    }
}

/// Generates the whole fleet batch by batch, in arrival order: for each upload period,
/// every device's batch. Memory stays at one batch per device, so it also feeds the
/// 10,000-device scale check.
struct MeterFleet {
    let parameters: GeneratorParameters
    private(set) var devices: [MeterDevice]
    private(set) var nextBatch = 0

    init(_ parameters: GeneratorParameters) {
        self.parameters = parameters
        devices = (0..<parameters.devices).map { MeterDevice(index: $0, parameters: parameters) }
    }

    /// The batches of the next upload period, or nil when the span is done.
    mutating func nextPeriod() -> [ColumnBatch]? {
        guard nextBatch < parameters.batchCount else { return nil }
        let width = Int64(parameters.batchSeconds) * 1_000_000_000
        let from = parameters.startNanos + Int64(nextBatch) * width
        let final = nextBatch == parameters.batchCount - 1
        nextBatch += 1
        var batches: [ColumnBatch] = []
        batches.reserveCapacity(devices.count)
        for i in devices.indices {
            // The first batch starts at -inf so a device's phase never skips its first reading.
            let batch = devices[i].batch(from: nextBatch == 1 ? .min : from, to: from + width, parameters: parameters, final: final)
            if !batch.timestamps.isEmpty { batches.append(batch) }
        }
        return batches
    }
}
