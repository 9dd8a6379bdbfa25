/// The cheapest change that makes a model fit better, suggested with a verdict.
public enum FitFix: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Store the KV cache in a smaller type (`--kv-dtype q8_0`).
    case kvCache(KVCacheDType)
    /// Use at most this many tokens of context.
    case shorterContext(Int)
    /// Keep routed experts in RAM and the rest on the GPU.
    case expertsOnCPU
    /// Use a smaller weight format.
    case smallerFormat(WeightFormat)

    /// A short imperative sentence.
    public var description: String {
        switch self {
        case .kvCache(let t): return "store the KV cache as \(t.rawValue) (--kv-dtype \(t.rawValue))"
        case .shorterContext(let n): return "use a context of at most \(n) tokens (--context \(n))"
        case .expertsOnCPU: return "keep the MoE experts in RAM and the rest on the GPU"
        case .smallerFormat(let f): return "use \(f) weights"
        }
    }
}
