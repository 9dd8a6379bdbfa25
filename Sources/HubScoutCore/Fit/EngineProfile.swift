/// The constants an estimate assumes for one engine. Every figure names its source in
/// memory-estimation.md; `assumptions` is meant to be printed with every result.
public struct EngineProfile: Sendable, Hashable, Codable {
    /// Which engine this describes.
    public var engine: Engine
    /// Fixed device memory per GPU besides tensors: CUDA context, cuBLAS workspaces, allocator slack.
    public var runtimeOverheadBytes: Int64
    /// Fixed host memory of the process besides weights (tokenizer tables, scheduler).
    public var hostOverheadBytes: Int64
    /// Tokens processed per forward step when reading a prompt (ubatch, `max_num_batched_tokens`, prefill step).
    public var computeTokens: Int
    /// Whether attention scores are computed without materialising `heads × tokens × context` floats.
    public var flashAttention: Bool
    /// Bytes per element of the attention mask kept per step (llama.cpp's f16 KQ mask), 0 when none.
    public var maskBytesPerElement: Int64
    /// Bytes per activation element (llama.cpp computes in f32; PyTorch/MLX in bf16/fp16).
    public var activationBytes: Int64
    /// Rows of f32 logits per sequence held on the device.
    public var logitsRowsPerSequence: Int
    /// Whether the input embedding table stays in host RAM even with full offload (llama.cpp's `token_embd`).
    public var embeddingsOnHost: Bool
    /// KV cells are allocated in multiples of this many tokens (llama.cpp padding, vLLM blocks).
    public var contextPadding: Int
    /// Extra tokens kept on sliding-window layers beyond the window (llama.cpp keeps one ubatch).
    public var slidingExtraTokens: Int
    /// Fraction of a GPU's *total* memory the engine may use, as a percentage (vLLM `gpu_memory_utilization`); nil = all free memory.
    public var memoryUtilizationPercent: Int?
    /// One line per assumption, each naming its source.
    public var assumptions: [String]

    static let mib: Int64 = 1024 * 1024

    /// Engine-agnostic: a llama.cpp-like step of 512 tokens in f32 plus a fixed runtime cost.
    public static let `default` = EngineProfile(
        engine: .default, runtimeOverheadBytes: 650_000_000, hostOverheadBytes: 150 * mib, computeTokens: 512,
        flashAttention: true, maskBytesPerElement: 2, activationBytes: 4, logitsRowsPerSequence: 512,
        embeddingsOnHost: false, contextPadding: 1, slidingExtraTokens: 0, memoryUtilizationPercent: nil,
        assumptions: [
            "runtime overhead 650 MB per GPU: the CUDA context and kernels loaded before any weight (a fixed figure, as the gpu_poor calculator uses)",
            "compute buffer: one 512-token step in f32, the larger of attention mask and FFN, plus logits (as llama.cpp sizes it)",
            "host: 150 MiB process footprint (the platform footprint gguf-parser assumes)",
        ])

    /// transformers: the whole prompt in one forward pass, bf16 activations, SDPA attention, last-token logits.
    public static let transformers = EngineProfile(
        engine: .transformers, runtimeOverheadBytes: 650_000_000, hostOverheadBytes: 150 * mib, computeTokens: Int(Int32.max),
        flashAttention: true, maskBytesPerElement: 0, activationBytes: 2, logitsRowsPerSequence: 1,
        embeddingsOnHost: false, contextPadding: 1, slidingExtraTokens: 0, memoryUtilizationPercent: nil,
        assumptions: [
            "runtime overhead 650 MB per GPU: CUDA context and PyTorch's allocator before any weight",
            "prefill reads the whole prompt at once: FFN activations = tokens × intermediate × 3 × 2 B (bf16)",
            "SDPA/flash attention: no tokens × context score matrix (eager attention would add heads × tokens × context × 4 B)",
            "logits for the last token only (generate's logits_to_keep)",
        ])

    /// llama.cpp: ubatch 512, flash attention, f32 compute, token_embd on host, KV padded to 256 (§2.4, §2.5).
    public static let llamaCpp = EngineProfile(
        engine: .llamaCpp, runtimeOverheadBytes: 250 * mib, hostOverheadBytes: 150 * mib, computeTokens: 512,
        flashAttention: true, maskBytesPerElement: 2, activationBytes: 4, logitsRowsPerSequence: 512,
        embeddingsOnHost: true, contextPadding: 256, slidingExtraTokens: 512, memoryUtilizationPercent: nil,
        assumptions: [
            "platform footprint 250 MiB VRAM / 150 MiB RAM (gguf-parser's defaults)",
            "ubatch 512, KV cells padded to 256; sliding-window layers keep window + one ubatch of cells (llama-server's swa_full=false)",
            "with a GGUF header: KV, compute and output buffers as llama.cpp allocates them (checked against 416 measured CPU loads, total within 3 %); else the largest layer's f32 intermediates for one ubatch + n_vocab × 512 f32 logits",
            "token_embd stays in host RAM",
            "context is per sequence (llama.cpp's -c is context × --parallel)",
        ])

    /// vLLM: a fraction of total memory, profile run at max_num_batched_tokens, paged KV in 16-token blocks (§2.6).
    public static let vllm = EngineProfile(
        engine: .vllm, runtimeOverheadBytes: 558_345_748, hostOverheadBytes: 150 * mib, computeTokens: 8192,
        flashAttention: true, maskBytesPerElement: 0, activationBytes: 2, logitsRowsPerSequence: 1,
        embeddingsOnHost: false, contextPadding: 16, slidingExtraTokens: 0, memoryUtilizationPercent: 90,
        assumptions: [
            "usable memory = 0.90 × total GPU memory (vLLM's gpu_memory_utilization default; some newer docs say 0.92)",
            "non-torch 0.13 GiB + CUDA graphs 0.39 GiB = 0.52 GiB runtime (the split vLLM logs at startup on an H100)",
            "activation peak from a profile run at max_num_batched_tokens = 8192 (default assumed, unverified), bf16",
            "KV paged in whole 16-token blocks; sampler logits for up to 256 sequences",
        ])

    /// MLX: unified memory, no CUDA context, prefill in steps of 2048 tokens, cache grown in 256-token steps.
    public static let mlx = EngineProfile(
        engine: .mlx, runtimeOverheadBytes: 0, hostOverheadBytes: 150 * mib, computeTokens: 2048,
        flashAttention: true, maskBytesPerElement: 0, activationBytes: 2, logitsRowsPerSequence: 1,
        embeddingsOnHost: false, contextPadding: 256, slidingExtraTokens: 0, memoryUtilizationPercent: nil,
        assumptions: [
            "unified memory: GPU budget is Metal's recommended working-set size, not all RAM",
            "no CUDA context; prefill_step_size 2048 and KV grown in 256-token steps (mlx-lm defaults, unverified)",
            "fused SDPA: no score matrix; fp16/bf16 activations",
        ])

    /// The profile for an engine.
    public static func profile(for engine: Engine) -> EngineProfile {
        switch engine {
        case .default: return .default
        case .transformers: return .transformers
        case .llamaCpp: return .llamaCpp
        case .vllm: return .vllm
        case .mlx: return .mlx
        }
    }

    /// `context` rounded up to the engine's KV allocation unit.
    public func paddedContext(_ context: Int) -> Int {
        let pad = max(1, contextPadding)
        let (q, r) = context.quotientAndRemainder(dividingBy: pad)
        let (padded, o) = (r == 0 ? q : q + 1).multipliedReportingOverflow(by: pad)
        return o ? context : padded
    }

    /// Compute/activation buffer on the device: one step's largest intermediates plus logits.
    /// Layers run one after another, so only the largest layer's scratch is live (§2.4).
    public func computeBytes(shape: ModelShape, context: Int, batch: Int) throws -> Int64 {
        let what = "compute buffer"
        let seqTokens = try CheckedMath.mul(Int64(max(context, 1)), Int64(max(batch, 1)), what)
        let tokens = min(seqTokens, Int64(computeTokens))
        let kvLen = Int64(max(context, 1))
        let attention = flashAttention
            ? try CheckedMath.product([tokens, kvLen, maskBytesPerElement], what)
            : try CheckedMath.product([tokens, kvLen, Int64(shape.heads), 4], what)
        let ffn = try CheckedMath.product([tokens, Int64(shape.ffnWidth), 3, activationBytes], what)
        let hidden = try CheckedMath.product([tokens, Int64(shape.hidden), 4, activationBytes], what)
        let rows = min(tokens, try CheckedMath.mul(Int64(logitsRowsPerSequence), Int64(max(batch, 1)), what))
        let logits = try CheckedMath.product([rows, Int64(shape.vocab), 4], what)
        return try CheckedMath.sum([max(attention, ffn), hidden, logits], what)
    }
}

/// The dimensions a compute-buffer estimate needs.
public struct ModelShape: Sendable, Hashable, Codable {
    /// Hidden size.
    public var hidden: Int
    /// Attention heads.
    public var heads: Int
    /// Width of the widest FFN evaluated per token (dense intermediate, or experts-per-token × expert width).
    public var ffnWidth: Int
    /// Vocabulary size.
    public var vocab: Int

    /// Creates a shape.
    public init(hidden: Int, heads: Int, ffnWidth: Int, vocab: Int) {
        self.hidden = hidden; self.heads = heads; self.ffnWidth = ffnWidth; self.vocab = vocab
    }

    /// The shape of a config; unknown values become 0 (the term drops out) rather than guesses.
    public init(config c: ModelConfig) {
        let hidden = max(0, c.hiddenSize ?? 0)
        var ffn = max(0, c.intermediateSize ?? 0)
        if c.isMoE {
            // Experts evaluated per token; Mixtral states the expert width as intermediate_size.
            let width = max(0, c.moeIntermediateSize ?? c.intermediateSize ?? 0)
            let (routed, o) = width.multipliedReportingOverflow(by: max(1, c.numExpertsPerToken ?? 1))
            ffn = max(ffn, o ? 0 : routed)
        }
        self.init(hidden: min(hidden, 1 << 24), heads: min(max(0, c.numAttentionHeads ?? 0), 1 << 16),
                  ffnWidth: min(ffn, 1 << 26), vocab: min(max(0, c.vocabSize ?? 0), 1 << 26))
    }
}
