/// The `llama_context_params` that size llama.cpp's buffers. Defaults are `llama_context_default_params()`.
public struct LlamaCppContextOptions: Sendable, Equatable {
    /// Requested `n_ctx` (all sequences together).
    public var context: Int
    /// `type_k` of the KV cache.
    public var kvTypeK: KVCacheDType
    /// `type_v` of the KV cache.
    public var kvTypeV: KVCacheDType
    /// `swa_full`: true (the library default) sizes sliding-window caches like the full cache; llama-cli and
    /// llama-server default to false, which caps them at window + ubatch.
    public var swaFull: Bool
    /// Requested `n_batch` (2048); llama.cpp lowers it to `n_ctx`.
    public var batch: Int
    /// Requested `n_ubatch` (512); llama.cpp lowers it to `n_batch`.
    public var microBatch: Int
    /// `n_seq_max` (parallel sequences).
    public var sequences: Int
    /// Whether the CPU backend repacks Q4_0/Q4_K/IQ4_NL weights into interleaved copies (`CPU_REPACK`), as it does
    /// on x86 with AVX2 and on ARM with dotprod/i8mm. Only for layers that run on the CPU.
    public var cpuRepack: Bool

    /// Creates options; unspecified values are llama.cpp's defaults.
    public init(context: Int, kvTypeK: KVCacheDType = .f16, kvTypeV: KVCacheDType? = nil, swaFull: Bool = true,
                batch: Int = 2048, microBatch: Int = 512, sequences: Int = 1, cpuRepack: Bool = true) {
        self.context = context; self.kvTypeK = kvTypeK; self.kvTypeV = kvTypeV ?? kvTypeK; self.swaFull = swaFull
        self.batch = batch; self.microBatch = microBatch; self.sequences = sequences; self.cpuRepack = cpuRepack
    }

    /// KV cells llama.cpp allocates: `n_ctx` padded to 256.
    public var cells: Int { Self.pad(max(1, context), 256) }
    /// Effective `n_batch`: never more than `n_ctx`.
    public var effectiveBatch: Int { max(1, min(batch, cells)) }
    /// Effective `n_ubatch`: never more than `n_batch`.
    public var effectiveMicroBatch: Int { max(1, min(microBatch, effectiveBatch)) }

    /// `x` rounded up to a multiple of `unit`.
    static func pad(_ x: Int, _ unit: Int) -> Int { (x + unit - 1) / unit * unit }
}
