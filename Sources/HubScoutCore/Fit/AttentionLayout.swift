/// The per-layer cache shape of a model, derived from its normalised config.
public struct AttentionLayout: Sendable, Hashable, Codable {
    /// One entry per cached layer (decoder layers; for encoder-decoder models self- and cross-attention both count).
    public var layers: [LayerAttention]
    /// KV heads of full/sliding layers.
    public var kvHeads: Int
    /// Head dimension of full/sliding layers.
    public var headDim: Int
    /// True when `headDim` was derived as hidden/heads because the config has no `head_dim`.
    public var headDimDerived: Bool
    /// Sentences explaining derivations and assumptions, for printing next to the result.
    public var notes: [String]

    /// Creates a layout from explicit values (tests, GGUF metadata).
    public init(layers: [LayerAttention], kvHeads: Int, headDim: Int, headDimDerived: Bool = false, notes: [String] = []) {
        self.layers = layers; self.kvHeads = kvHeads; self.headDim = headDim
        self.headDimDerived = headDimDerived; self.notes = notes
    }

    /// Hard cap on layer counts so hostile configs cannot make us allocate huge arrays.
    static let maxLayers = 4096

    /// Encoder-only families: no KV cache at inference.
    static let encoderOnlyTypes: Set<String> = [
        "bert", "roberta", "xlm-roberta", "distilbert", "albert", "electra", "deberta", "deberta-v2", "mpnet",
        "camembert", "modernbert", "xlm-roberta-xl", "nomic_bert", "new", "ernie", "esm",
    ]
    /// Families whose sliding layers alternate with global ones when the config has no `layer_types`:
    /// a layer is global when `(i + 1) % period == 0` (Gemma-2: every 2nd, Gemma-3: every 6th, Cohere2: every 4th).
    static let slidingPeriod: [String: Int] = ["gemma2": 2, "gemma3": 6, "gemma3_text": 6, "cohere2": 4]

    /// Derives the layout from a config.
    /// - Throws: `FitError.missingConfigValue` when the layer count or head shape cannot be resolved.
    public init(config c: ModelConfig) throws {
        var notes: [String] = []
        let modelType = (c.modelType ?? "").lowercased()
        let arch = c.architecture ?? ""
        let encoderOnly = Self.encoderOnlyTypes.contains(modelType)
            || ["ForMaskedLM", "ForSequenceClassification", "ForTokenClassification", "ForQuestionAnswering"].contains { arch.hasSuffix($0) } && !c.isEncoderDecoder
        guard let layerCount = c.isEncoderDecoder ? (c.numDecoderLayers ?? c.numLayers) : c.numLayers else {
            throw FitError.missingConfigValue("num_hidden_layers")
        }
        guard layerCount > 0, layerCount <= Self.maxLayers else {
            throw FitError.invalidValue(name: "num_hidden_layers", value: Int64(layerCount))
        }
        if encoderOnly {
            notes.append("Encoder-only model: no KV cache.")
            self.init(layers: Array(repeating: .none, count: layerCount), kvHeads: 0, headDim: 0, notes: notes)
            return
        }

        // Head shape (needed unless every layer is MLA).
        var kvHeads = 0, headDim = 0, derived = false
        if let heads = c.numAttentionHeads, heads > 0 {
            kvHeads = c.numKeyValueHeads ?? heads
            if let hd = c.headDim, hd > 0 { headDim = hd } else if let h = c.hiddenSize, h > 0 {
                headDim = h / heads
                derived = true
                notes.append("head_dim derived as hidden_size / num_attention_heads = \(h) / \(heads) = \(headDim) (config has no head_dim).")
            }
        }

        var layers: [LayerAttention]
        if let rank = c.kvLoraRank, rank > 0 {
            let rope = c.qkRopeHeadDim ?? 0
            layers = Array(repeating: .mla(latentDim: rank + rope), count: layerCount)
            notes.append("MLA: caches the compressed latent kv_lora_rank + qk_rope_head_dim = \(rank) + \(rope) = \(rank + rope) values per token per layer.")
        } else {
            guard kvHeads > 0, headDim > 0 else {
                throw FitError.missingConfigValue(c.numAttentionHeads == nil ? "num_attention_heads" : "hidden_size or head_dim")
            }
            // A recurrent layer's state: one f32 head_dim × head_dim matrix per head (linear attention);
            // configs rarely state the exact state shape, so this is an approximation, said so below.
            let recurrentState = Int64(c.numAttentionHeads ?? kvHeads) * Int64(headDim) * Int64(headDim) * 4
            if let types = c.layerTypes, !types.isEmpty {
                var unknown = Set<String>()
                var hasRecurrent = false
                layers = types.prefix(layerCount).map { t in
                    switch t.lowercased() {
                    case "full_attention", "attention", "global", "global_attention", "full": return .full
                    case "sliding_attention", "sliding", "local", "local_attention", "chunked_attention":
                        if let w = c.slidingWindow, w > 0 { return .sliding(window: w) }
                        return .full
                    case "linear_attention", "mamba", "mamba2", "recurrent", "conv", "ssm", "linear":
                        hasRecurrent = true
                        return .recurrent(stateBytes: recurrentState)
                    default:
                        unknown.insert(t)
                        return .full
                    }
                }
                if layers.count < layerCount { layers += Array(repeating: .full, count: layerCount - layers.count) }
                if !unknown.isEmpty { notes.append("Unknown layer types \(unknown.sorted()) counted as full attention.") }
                if hasRecurrent { notes.append("Recurrent/linear-attention layers: fixed state of ~heads × head_dim² × 4 B per sequence (approximate).") }
            } else if let w = c.slidingWindow, w > 0, let period = Self.slidingPeriod[modelType] {
                layers = (0..<layerCount).map { ($0 + 1) % period == 0 ? .full : .sliding(window: w) }
                notes.append("\(modelType): sliding window \(w) on \(layerCount - layerCount / period) of \(layerCount) layers, every \(period == 2 ? "2nd" : "\(period)th") layer global.")
            } else if let w = c.slidingWindow, w > 0 {
                layers = Array(repeating: .sliding(window: w), count: layerCount)
                notes.append("Sliding window \(w) on all layers: KV capped at \(w) tokens.")
            } else {
                layers = Array(repeating: .full, count: layerCount)
            }
            if c.isEncoderDecoder {
                // Cross-attention caches K/V over the encoder's tokens; assumed as long as the context.
                layers += Array(repeating: .full, count: layerCount)
                notes.append("Encoder-decoder: decoder self-attention plus cross-attention KV over encoder tokens (assumed = context).")
            }
        }
        self.init(layers: layers, kvHeads: kvHeads, headDim: headDim, headDimDerived: derived, notes: notes)
    }

    /// Bytes of cache for one sequence of `context` tokens.
    /// - Parameter slidingExtra: tokens an engine keeps beyond the window on sliding layers (llama.cpp: one ubatch).
    public func kvBytes(context: Int, dtype: KVCacheDType, slidingExtra: Int = 0) throws -> Int64 {
        guard context >= 0 else { throw FitError.invalidValue(name: "context", value: Int64(context)) }
        let bits = dtype.bitsPerElement
        let ctx = Int64(context)
        let perTokenFull = try CheckedMath.product([2, Int64(kvHeads), Int64(headDim)], "KV elements per token")
        var total: Int64 = 0
        for layer in layers {
            let bytes: Int64
            switch layer {
            case .full:
                bytes = try bits.bytes(for: try CheckedMath.mul(perTokenFull, ctx, "KV elements"))
            case .sliding(let window):
                let tokens = min(ctx, Int64(window) + Int64(max(0, slidingExtra)))
                bytes = try bits.bytes(for: try CheckedMath.mul(perTokenFull, tokens, "KV elements"))
            case .mla(let latent):
                bytes = try bits.bytes(for: try CheckedMath.mul(Int64(latent), ctx, "MLA latent elements"))
            case .recurrent(let state):
                bytes = state
            case .none:
                bytes = 0
            }
            total = try CheckedMath.add(total, bytes, "KV cache bytes")
        }
        return total
    }
}
