/// Which groups of a `ParameterBreakdown` a weight format converts; the rest stay 16-bit.
public struct QuantizedParts: OptionSet, Sendable, Hashable, Codable {
    /// Raw bits of the set.
    public let rawValue: Int
    /// Creates a set from raw bits.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Attention projections.
    public static let attention = QuantizedParts(rawValue: 1 << 0)
    /// Dense MLP weights.
    public static let denseMLP = QuantizedParts(rawValue: 1 << 1)
    /// Routed expert weights.
    public static let routedExperts = QuantizedParts(rawValue: 1 << 2)
    /// Shared experts and routers.
    public static let sharedExpertsAndRouters = QuantizedParts(rawValue: 1 << 3)
    /// Input embeddings.
    public static let embedding = QuantizedParts(rawValue: 1 << 4)
    /// Output projection.
    public static let lmHead = QuantizedParts(rawValue: 1 << 5)
    /// Norms, biases and small tensors.
    public static let other = QuantizedParts(rawValue: 1 << 6)
    /// Vision/audio towers.
    public static let vision = QuantizedParts(rawValue: 1 << 7)

    /// The linear weights weight-only quantizers convert (matches `ParameterBreakdown.quantizableLinear`).
    public static let linear: QuantizedParts = [.attention, .denseMLP, .routedExperts, .sharedExpertsAndRouters]
    /// Every text-model tensor (GGUF files quantize embeddings and output too).
    public static let allText: QuantizedParts = [.linear, .embedding, .lmHead, .other]
    /// Everything.
    public static let all: QuantizedParts = [.allText, .vision]
}
