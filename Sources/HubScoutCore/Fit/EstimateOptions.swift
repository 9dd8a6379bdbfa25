/// What an estimate assumes about the run: context, sequences, KV type, engine, offload.
public struct EstimateOptions: Sendable, Hashable, Codable {
    /// Tokens per sequence; nil = `defaultContext` capped at the model's context length.
    public var context: Int?
    /// Parallel sequences (batch); each holds its own KV cache.
    public var batch: Int
    /// KV cache storage type.
    public var kvDType: KVCacheDType
    /// Engine whose constants are assumed.
    public var engine: EngineProfile
    /// Keep routed-expert weights in host RAM (MoE offload, like llama.cpp's `-ot exps=CPU`).
    public var expertsOnCPU: Bool

    /// Context used when none is given: 8k, because the model's maximum (often 128k) would dominate silently (§7.4).
    public static let defaultContext = 8192

    /// Creates options; the defaults describe one 8k-token sequence with an f16 cache.
    public init(context: Int? = nil, batch: Int = 1, kvDType: KVCacheDType = .f16, engine: EngineProfile = .default,
                expertsOnCPU: Bool = false) {
        self.context = context; self.batch = batch; self.kvDType = kvDType; self.engine = engine; self.expertsOnCPU = expertsOnCPU
    }
}
