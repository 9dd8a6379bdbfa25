import Foundation

/// Deterministic pseudo-random bytes addressable by offset, so a test can check any range of a generated file
/// without keeping the file in memory.
public enum FixtureBytes {
    /// The byte at `offset` of the stream for `seed`.
    public static func byte(at offset: Int64, seed: UInt64) -> UInt8 {
        let word = mix(UInt64(bitPattern: offset / 8) &+ seed &* 0x9E37_79B9_7F4A_7C15)
        return UInt8(truncatingIfNeeded: word >> (UInt64(offset % 8) * 8))
    }

    /// Bytes `range` of the stream for `seed`.
    public static func bytes(_ range: Range<Int64>, seed: UInt64) -> Data {
        Data(range.map { byte(at: $0, seed: seed) })
    }

    /// splitmix64's finaliser: cheap and well mixed.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
