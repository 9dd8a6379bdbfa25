/// An exact bits-per-element figure kept as a fraction, so `4 + 20/128` stays exact in byte sums.
public struct BitsPerWeight: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Bits per element = numerator / denominator.
    public let numerator: Int64
    /// Denominator of the fraction (positive).
    public let denominator: Int64

    /// A whole number of bits per element.
    public init(_ bits: Int64) { numerator = bits; denominator = 1 }

    /// A fractional number of bits per element; the denominator is clamped to at least 1.
    public init(numerator: Int64, denominator: Int64) {
        self.numerator = max(0, numerator)
        self.denominator = max(1, denominator)
    }

    /// Bits of a block of `blockElements` elements that occupies `blockBytes` bytes (ggml-style types).
    public init(blockBytes: Int64, blockElements: Int64) {
        self.init(numerator: blockBytes * 8, denominator: blockElements)
    }

    /// The value for display (never used in byte arithmetic).
    public var value: Double { Double(numerator) / Double(denominator) }

    /// Bytes for `elements` elements, rounded up to a whole byte.
    public func bytes(for elements: Int64) throws -> Int64 {
        try CheckedMath.mulDivCeil(elements, numerator, denominator * 8, "bytes for \(elements) elements at \(self) bits")
    }

    /// `4.156`-style text with up to three decimals.
    public var description: String {
        let scaled = (value * 1000).rounded() / 1000
        return scaled == scaled.rounded() ? String(Int64(scaled)) : String(scaled)
    }
}
