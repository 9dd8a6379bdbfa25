/// A small seeded PRNG (SplitMix64), so every run generates the same population.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// Draws values with the frequencies they were counted with.
struct Weighted<T> {
    private var values: [T] = []
    private var cumulative: [Double] = []

    init(_ counts: [(T, Double)]) {
        var total = 0.0
        for (value, weight) in counts where weight > 0 {
            total += weight
            values.append(value)
            cumulative.append(total)
        }
        cumulative = cumulative.map { $0 / total }
    }

    func draw(_ rng: inout SplitMix64) -> T {
        let u = rng.unit()
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] < u { lo = mid + 1 } else { hi = mid }
        }
        return values[lo]
    }
}
