/// The buffers llama.cpp allocates for one context, component by component, in bytes,
/// as it logs them (`load_tensors`, `llama_kv_cache`, `llama_memory_recurrent`, `sched_reserve`).
public struct LlamaCppMemory: Sendable, Equatable {
    /// Σ exact tensor bytes of the file (`llama_model_size`).
    public var tensorBytes: Int64
    /// `CPU_Mapped` model buffer: the mmapped span from the first to the last tensor that is not repacked.
    public var mappedModelBytes: Int64
    /// `CPU_REPACK` model buffer: interleaved copies of the repacked tensors (0 when none).
    public var repackedModelBytes: Int64
    /// KV cells of the full-attention cache.
    public var kvCells: Int
    /// K bytes of the full-attention cache (MLA: the compressed latent).
    public var kvKBytes: Int64
    /// V bytes of the full-attention cache (0 for MLA, whose V is a view of K).
    public var kvVBytes: Int64
    /// KV cells of the sliding-window cache (0 when the model has none).
    public var swaCells: Int
    /// K bytes of the sliding-window cache.
    public var swaKBytes: Int64
    /// V bytes of the sliding-window cache.
    public var swaVBytes: Int64
    /// Recurrent conv state (`R`, f32).
    public var recurrentRBytes: Int64
    /// Recurrent SSM state (`S`, f32).
    public var recurrentSBytes: Int64
    /// `CPU compute buffer` of the worst-case ubatch graph.
    public var computeBytes: Int64
    /// Output (logits) buffer.
    public var outputBytes: Int64
    /// Effective `n_batch` and `n_ubatch`.
    public var batch: Int, microBatch: Int

    /// Both model buffers.
    public var modelBufferBytes: Int64 { mappedModelBytes + repackedModelBytes }
    /// Every KV and recurrent-state byte.
    public var cacheBytes: Int64 { kvKBytes + kvVBytes + swaKBytes + swaVBytes + recurrentRBytes + recurrentSBytes }
    /// Model buffers + caches + compute + output.
    public var totalBytes: Int64 { modelBufferBytes + cacheBytes + computeBytes + outputBytes }
}
