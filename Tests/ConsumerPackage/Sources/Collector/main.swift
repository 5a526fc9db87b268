import ChunkStore

let store = try Store.open(at: "meters", options: StoreOptions(sync: .interval(milliseconds: 100)))
defer { try? store.close() }  // close() seals and fsyncs everything

try store.append([
    Row(device: "meter-001", timestamp: 1_767_225_600_000_000_000,
        fields: ["power_w": .float(1234.5), "energy_kwh": .float(10547.8), "relay_on": .bool(true)]),
])

let firstHour = try store.range(device: "meter-001", from: 1_767_225_600_000_000_000,
                                to: 1_767_229_200_000_000_000, fields: ["power_w"])   // [from, to), ns
let hourly = try store.downsample(DownsampleQuery(device: "meter-001", fields: ["power_w"],
                                                  bucket: .nanoseconds(3_600_000_000_000),
                                                  functions: [.mean, .max]))
let latest = try store.latest()          // every device's latest row, column-wise:
let power = latest.fieldIndex(of: "power_w")
for r in latest.indices {
    print(latest.devices[r], latest.timestamps[r], power.flatMap { latest.value(r, field: $0) }.map { "\($0)" } ?? "-")
}
print(firstHour.count, "rows in the first hour;", hourly.count, "hourly bucket(s)")
