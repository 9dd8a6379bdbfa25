/// Llama-style decoder-only transformers: embeddings, attention (MHA/GQA/MQA or MLA), gated MLP or MoE, RMS norms.
enum DecoderFormula {
    static func estimate(_ c: ModelConfig, family: String) throws(ParameterCountError) -> ParameterEstimate {
        let type = c.textModelType ?? c.modelType
        let moe = c.isMoE
        let expertSize = c.moeIntermediateSize ?? c.intermediateSize
        let base = try ParameterCounter.require([
            (c.hiddenSize, "hidden_size"), (c.numLayers, "num_hidden_layers"),
            (c.numAttentionHeads, "num_attention_heads"), (c.vocabSize, "vocab_size"),
        ], modelType: type)
        let (h, layers, heads, vocab) = (base[0], base[1], base[2], base[3])
        var notes: [String] = []
        if layers > ParameterCounter.maxLayers { throw .implausibleValue(key: "num_hidden_layers", value: layers) }

        // Which layers route through experts.
        let moeLayers = moe ? moeLayerIndices(c, layers: layers, family: family) : []
        let denseLayers = layers - moeLayers.count
        let denseSize: Int? = c.intermediateSize
        if denseLayers > 0, denseSize == nil { throw .missingValues(["intermediate_size"], modelType: type) }
        if !moeLayers.isEmpty, expertSize == nil { throw .missingValues(["moe_intermediate_size"], modelType: type) }

        var b = ParameterBreakdown()
        b.embedding = try ParamMath.mul(vocab, h, what: "embeddings")
        b.lmHead = c.tieWordEmbeddings == true ? 0 : b.embedding

        let attention = try attentionPerLayer(c, h: h, heads: heads, type: type, family: family, notes: &notes)
        b.attention = try ParamMath.times(attention.weights, layers, what: "attention")

        // Norms: input + post-attention RMSNorm; Gemma 2/3 add pre/post feed-forward norms.
        let normsPerLayer = ["gemma2", "gemma3", "gemma3_text"].contains(family) ? 4 : 2
        let normParams = try ParamMath.mul(normsPerLayer, h, what: "norms")
        let other = try ParamMath.sum(try ParamMath.times(try ParamMath.sum(normParams, attention.small, what: "norms"),
                                                          layers, what: "norms"), Int64(h), what: "norms")

        if denseLayers > 0, let size = denseSize {
            b.denseMLP = try ParamMath.times(try ParamMath.mul(3, h, size, what: "MLP"), denseLayers, what: "MLP")
        }
        if !moeLayers.isEmpty, let size = expertSize, let experts = c.numExperts {
            let n = moeLayers.count
            b.routedExperts = try ParamMath.times(try ParamMath.mul(experts, 3, h, size, what: "experts"), n, what: "experts")
            let k = min(c.numExpertsPerToken ?? experts, experts)
            if c.numExpertsPerToken == nil { notes.append("`num_experts_per_tok` is not stated: all experts counted as active.") }
            b.activeRoutedExperts = try ParamMath.times(try ParamMath.mul(k, 3, h, size, what: "active experts"), n,
                                                        what: "active experts")
            var shared: [Int64] = [try ParamMath.mul(h, experts, what: "router")]
            if let count = c.numSharedExperts, count > 0 {
                shared.append(try ParamMath.mul(count, 3, h, size, what: "shared experts"))
            }
            if let sharedSize = c.sharedExpertIntermediateSize {
                // Qwen-MoE: one shared expert of its own size, plus a one-output gate.
                shared.append(try ParamMath.mul(3, h, sharedSize, what: "shared expert"))
                shared.append(Int64(h))
            }
            if ["deepseek_v3", "glm4_moe_lite"].contains(family) { shared.append(Int64(experts)) }  // e_score_correction_bias
            b.sharedExpertsAndRouters = try ParamMath.times(try ParamMath.sum(shared, what: "routers"), n, what: "routers")
        }
        b.other = other
        if c.tieWordEmbeddings == nil { notes.append("Tying is unknown: lm_head counted separately.") }
        if let mtp = c.numNextNPredictLayers, mtp > 0 {
            notes.append("\(mtp) multi-token-prediction layer(s) ship in the checkpoint but are not counted (nor are they in the published size).")
        }
        let layout = (moe ? "MoE decoder" : "decoder") + " (" + attention.kind + ", gated MLP)"
        return ParameterEstimate(breakdown: b, layout: layout, isMoE: moe && !moeLayers.isEmpty, notes: notes)
    }

    /// Attention weights per layer (matrices) and small tensors per layer (biases, q/k norms, MLA norms).
    private static func attentionPerLayer(_ c: ModelConfig, h: Int, heads: Int, type: String?, family: String,
                                          notes: inout [String]) throws(ParameterCountError)
        -> (weights: Int64, small: Int64, kind: String) {
        if let kvRank = c.kvLoraRank {
            let dims = try ParameterCounter.require([(c.qkRopeHeadDim, "qk_rope_head_dim"),
                                                     (c.qkNopeHeadDim, "qk_nope_head_dim"),
                                                     (c.vHeadDim, "v_head_dim")], modelType: type)
            let (rope, nope, v) = (dims[0], dims[1], dims[2])
            var parts: [Int64] = []
            var small: Int64 = Int64(kvRank)                  // kv_a_layernorm
            if let qRank = c.qLoraRank {
                parts.append(try ParamMath.mul(h, qRank, what: "MLA"))
                parts.append(try ParamMath.mul(qRank, heads, try ParamMath.plus(nope, rope, what: "MLA"), what: "MLA"))
                small = try ParamMath.sum(small, Int64(qRank), what: "MLA")   // q_a_layernorm
            } else {
                parts.append(try ParamMath.mul(h, heads, try ParamMath.plus(nope, rope, what: "MLA"), what: "MLA"))
            }
            parts.append(try ParamMath.mul(h, try ParamMath.plus(kvRank, rope, what: "MLA"), what: "MLA"))
            parts.append(try ParamMath.mul(kvRank, heads, try ParamMath.plus(nope, v, what: "MLA"), what: "MLA"))
            parts.append(try ParamMath.mul(heads, v, h, what: "MLA"))
            let weights = try ParamMath.sum(parts, what: "MLA")
            return (weights, small, "MLA")
        }
        let kvHeads = c.numKeyValueHeads ?? heads
        let d: Int
        if let stated = c.headDim {
            d = stated
        } else {
            d = h / heads
            if h % heads != 0 { notes.append("hidden_size is not a multiple of the head count; head_dim rounded down to \(d).") }
        }
        let q = try ParamMath.mul(heads, d, what: "attention")
        let kv = try ParamMath.mul(kvHeads, d, what: "attention")
        let weights = try ParamMath.sum(try ParamMath.mul(2, h, heads, d, what: "attention"),
                                        try ParamMath.mul(2, h, kvHeads, d, what: "attention"), what: "attention")
        var small: [Int64] = []
        if ["qwen2", "qwen2_moe", "qwen2_vl", "qwen2_5_vl"].contains(family) {
            small += [q, kv, kv]                             // q/k/v biases
        } else if c.attentionBias == true {
            small += [q, kv, kv, Int64(h)]                   // q/k/v/o biases
        }
        if ["qwen3", "qwen3_moe", "gemma3", "gemma3_text"].contains(family) {
            small += [Int64(d), Int64(d)]                    // per-head q/k RMSNorm
        } else if ["olmoe", "olmo2"].contains(family) {
            small += [q, kv]                                 // q/k RMSNorm over the full projection
        }
        let kind = kvHeads == heads ? "MHA" : (kvHeads == 1 ? "MQA" : "GQA")
        return (weights, try ParamMath.sum(small, what: "attention"), kind)
    }

    /// Indices of the layers that use experts.
    private static func moeLayerIndices(_ c: ModelConfig, layers: Int, family: String) -> [Int] {
        // GLM-4-MoE-Lite's config class makes its first layer dense when nothing says otherwise.
        let first = c.firstDenseLayers ?? (family == "glm4_moe_lite" ? 1 : 0)
        let step = max(1, c.moeLayerFrequency ?? 1)
        let dense = Set(c.mlpOnlyLayers ?? [])
        return (0..<layers).filter { i in
            if i < first || dense.contains(i) { return false }
            // DeepSeek counts `moe_layer_freq` from 0; Qwen-MoE's `decoder_sparse_step` from 1.
            return family.hasPrefix("deepseek") ? i % step == 0 : (i + 1) % step == 0
        }
    }
}
