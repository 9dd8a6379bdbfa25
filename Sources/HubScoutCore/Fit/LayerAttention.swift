/// What one decoder layer keeps per token (or per sequence) between generation steps.
public enum LayerAttention: Sendable, Hashable, Codable {
    /// Full attention: K and V for every token of the context.
    case full
    /// Sliding-window attention: K and V for at most `window` tokens.
    case sliding(window: Int)
    /// Multi-head latent attention (DeepSeek-V2/V3): one compressed latent of `latentDim` values per token.
    case mla(latentDim: Int)
    /// Linear-attention / recurrent layer: a fixed state per sequence, independent of context.
    case recurrent(stateBytes: Int64)
    /// No cache (encoder layers).
    case none
}
