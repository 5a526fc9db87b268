/// Deterministic k-means over load profiles: k-means++ seeding from a fixed-seed
/// SplitMix64 generator, then Lloyd iterations until no assignment changes (at most 100).
/// Inputs are taken in device-id order, so the same store gives the same clusters.
enum KMeans {
    static let seed: UInt64 = 0x5EED_C1A5_7E25

    static func cluster(_ input: [(device: String, profile: [Double])], k requested: Int) -> [LoadCluster] {
        let points = input.sorted { $0.device.precedesInBytes($1.device) }
        let k = min(requested, points.count)
        guard k > 0 else { return [] }
        var rng = SplitMix64(state: seed)
        var centroids = [points[Int(rng.next() % UInt64(points.count))].profile]
        var nearest = points.map { distance($0.profile, centroids[0]) }
        while centroids.count < k {
            let total = nearest.reduce(0, +)
            var choice = 0
            if total > 0 {
                var target = Double(rng.next() >> 11) / Double(1 << 53) * total
                for (i, d) in nearest.enumerated() {
                    target -= d
                    if target < 0 { choice = i; break }
                    choice = i
                }
            } else {
                choice = Int(rng.next() % UInt64(points.count))
            }
            centroids.append(points[choice].profile)
            for i in points.indices { nearest[i] = min(nearest[i], distance(points[i].profile, centroids.last ?? [])) }
        }
        var assignment = [Int](repeating: -1, count: points.count)
        for _ in 0..<100 {
            var changed = false
            for i in points.indices {
                var best = 0, bestDistance = Double.infinity
                for (c, centroid) in centroids.enumerated() {
                    let d = distance(points[i].profile, centroid)
                    if d < bestDistance { best = c; bestDistance = d }
                }
                if assignment[i] != best { assignment[i] = best; changed = true }
            }
            if !changed { break }
            for c in centroids.indices {
                let members = points.indices.filter { assignment[$0] == c }
                guard !members.isEmpty else { continue }
                centroids[c] = (0..<24).map { h in members.reduce(0) { $0 + points[$1].profile[h] } / Double(members.count) }
            }
        }
        return centroids.indices.compactMap { c -> LoadCluster? in
            let members = points.indices.filter { assignment[$0] == c }.map { points[$0].device }
            return members.isEmpty ? nil : LoadCluster(members: members, centroid: centroids[c])
        }.sorted { ($0.size, $1.members[0]) > ($1.size, $0.members[0]) }
    }

    static func distance(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in 0..<min(a.count, b.count) { s += (a[i] - b[i]) * (a[i] - b[i]) }
        return s
    }
}

/// SplitMix64: a tiny, fixed, well-distributed generator (so results never depend on the platform).
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
