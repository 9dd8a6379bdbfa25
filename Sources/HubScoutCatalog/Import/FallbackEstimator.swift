import HubScoutCore

/// The estimates a snapshot import stores when the caller passes no estimator. Approximate and
/// documented here; pass the real `MemoryEstimator` through `SnapshotEstimator` for exact figures.
///
/// - Weights: fp16 = 2 B/param. int8 and int4 quantize the linear weights only, as q8_0 (1.0625 B/param:
///   8 bits + a 16-bit scale per 32) and q4_0 (0.5625 B/param: 4 bits + a 16-bit scale per 32); the
///   embedding matrix (vocab × hidden, when both are known) stays at 2 B/param.
/// - KV cache: f16, `2 (K and V) × layers × kv_heads × head_dim × 2 B` per token, head_dim = hidden / heads
///   unless stated, kv_heads = heads when the config does not say (an upper bound).
/// - Overhead: 650 MB (CUDA context and buffers; the constant gpu_poor uses, research/memory-estimation.md).
/// - Default context: the model's context length capped at 4,096 (llama.cpp's long-standing default).
/// A model without a parameter count or without layers, hidden size and heads gets no estimate, so
/// fit searches never claim it fits.
public enum FallbackEstimator {
    /// Fixed runtime overhead in bytes.
    public static let overheadBytes: Int64 = 650_000_000
    /// Cap on the default context.
    public static let defaultContextCap = 4096

    /// Estimates for fp16, int8 and int4, or none when a needed fact is missing.
    public static func estimates(for model: SnapshotModel) -> [CatalogEstimate] {
        guard let params = model.parameters?.total, params > 0, let config = model.config,
              let layers = config.numLayers, let hidden = config.hiddenSize, let heads = config.numAttentionHeads,
              layers > 0, hidden > 0, heads > 0 else { return [] }
        let headDim = Int64(config.headDim ?? hidden / heads)
        let kvHeads = Int64(config.numKeyValueHeads ?? heads)
        guard let kvPerToken = product([2, Int64(layers), kvHeads, headDim, 2]) else { return [] }
        let embedding = min(params, config.vocabSize.flatMap { product([Int64($0), Int64(hidden)]) } ?? 0)
        let linear = params - embedding
        guard let fp16 = product([params, 2]), let embeddingBytes = product([embedding, 2]),
              let q8Linear = product([linear, 17]).map({ $0 / 16 }), let q4Linear = product([linear, 9]).map({ $0 / 16 }) else { return [] }
        let context = min(config.contextLength ?? defaultContextCap, defaultContextCap)
        return [
            CatalogEstimate(precision: .fp16, weightsBytes: fp16, kvBytesPerToken: kvPerToken, overheadBytes: overheadBytes, defaultContext: context),
            CatalogEstimate(precision: .int8, weightsBytes: embeddingBytes + q8Linear, kvBytesPerToken: kvPerToken, overheadBytes: overheadBytes, defaultContext: context),
            CatalogEstimate(precision: .int4, weightsBytes: embeddingBytes + q4Linear, kvBytesPerToken: kvPerToken, overheadBytes: overheadBytes, defaultContext: context),
        ]
    }

    /// Product with overflow checks; nil on overflow or a negative factor.
    private static func product(_ factors: [Int64]) -> Int64? {
        var result: Int64 = 1
        for f in factors {
            guard f >= 0 else { return nil }
            let (r, overflow) = result.multipliedReportingOverflow(by: f)
            if overflow { return nil }
            result = r
        }
        return result
    }
}
