/// Gemma 4's language model: per-layer attention shapes (full-attention layers take `global_head_dim` and, with
/// `attention_k_eq_v`, `num_global_key_value_heads` and no v projection), q/k norms, KV-shared tail layers without
/// k/v weights, four RMSNorms per layer, the per-layer-input (PLE) embedding with its gate/projection per layer,
/// and the optional MoE block that runs beside the dense MLP.
enum Gemma4Formula {
    /// `global_head_dim` when a config leaves it out: the default `Gemma4TextConfig.__post_init__` pops.
    static let defaultGlobalHeadDim = 512

    static func estimate(_ c: ModelConfig) throws(ParameterCountError) -> ParameterEstimate {
        let keys = FamilyKeys(c.familyJSON ?? [:], modelType: c.modelType)
        let text = keys.sub("text_config") ?? keys
        let v = try text.require(["hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads",
                                  "head_dim", "intermediate_size", "vocab_size"])
        let (h, layers, heads, kvHeads, headDim, inner, vocab) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6])
        if layers > ParameterCounter.maxLayers { throw .implausibleValue(key: "num_hidden_layers", value: layers) }
        // Layer kinds: stated, else every 6th layer full (5:1), and the last layer is always full.
        var types = text.strings("layer_types") ?? (0..<layers).map { ($0 + 1) % 6 == 0 ? "full_attention" : "sliding_attention" }
        if types.count < layers { types += Array(repeating: "sliding_attention", count: layers - types.count) }
        if layers > 0 { types[layers - 1] = "full_attention" }
        let globalHeadDim = text.int("global_head_dim") ?? defaultGlobalHeadDim
        let kEqV = text.bool("attention_k_eq_v") ?? false
        let globalKV = kEqV ? text.int("num_global_key_value_heads") : nil
        let overrides = text.sub("per_layer_config")
        let bias = text.bool("attention_bias") ?? false
        let firstShared = layers - min(text.int("num_kv_shared_layers") ?? 0, layers)
        let doubleWide = text.bool("use_double_wide_mlp") ?? false
        let perLayerInput = text.int("hidden_size_per_layer_input") ?? 0
        let moe = text.bool("enable_moe_block") ?? false
        var experts = 0, expertSize = 0, topK = 0
        if moe {
            let m = try text.require(["num_experts", "moe_intermediate_size"])
            (experts, expertSize) = (m[0], m[1])
            topK = min(text.int("top_k_experts") ?? experts, experts)
        }

        var b = ParameterBreakdown()
        b.embedding = try ParamMath.mul(vocab, h, what: "embeddings")
        b.lmHead = c.tieWordEmbeddings == false ? b.embedding : 0
        var attention = ParamTally("attention"), mlp = ParamTally("MLP"), small = ParamTally("norms")
        var routed = ParamTally("experts"), active = ParamTally("experts"), routers = ParamTally("routers")
        for i in 0..<layers {
            let full = types[i] == "full_attention"
            // An explicit per-layer override wins; else full layers take the global head size (and KV heads).
            let override = overrides?.sub(String(i))
            let d = override?.int("head_dim") ?? (full ? globalHeadDim : headDim)
            let kv = override?.int("num_key_value_heads") ?? (full ? (globalKV ?? kvHeads) : kvHeads)
            try attention.linear(h, heads * d, bias: bias)                  // q_proj
            try attention.linear(heads * d, h, bias: bias)                  // o_proj
            try small.add(d)                                                // q_norm
            if i < firstShared {
                // Layers that reuse an earlier layer's KV cache have no k/v weights.
                try attention.linear(h, kv * d, bias: bias)                 // k_proj
                if !(kEqV && full) { try attention.linear(h, kv * d, bias: bias) }   // v_proj (keys double as values)
                try small.add(d)                                            // k_norm (v_norm has no scale)
            }
            try mlp.gatedMLP(h, (doubleWide && i >= firstShared) ? 2 * inner : inner)
            try small.add(4, h)                                             // input/post-attention/pre-/post-FF norms
            if perLayerInput > 0 {
                try mlp.add(2, h, perLayerInput)                            // per_layer_input_gate + per_layer_projection
                try small.add(h)                                            // post_per_layer_input_norm
            }
            if moe {
                try routed.add(experts, 3, h, expertSize)
                try active.add(topK, 3, h, expertSize)
                try routers.add(h, experts)                                 // router projection
                try routers.add(h + experts)                                // router scale, per-expert scale
                try small.add(3, h)                                         // the MoE branch's three norms
            }
        }
        try small.add(h)                                                    // final norm
        if perLayerInput > 0 {
            // The PLE table (one perLayerInput-wide slice per layer), the model-side projection and its norm.
            let vocabPerLayer = text.int("vocab_size_per_layer_input") ?? vocab
            try b.embedding = ParamMath.sum(b.embedding, try ParamMath.mul(vocabPerLayer, layers, perLayerInput,
                                                                           what: "per-layer embeddings"), what: "embeddings")
            try mlp.add(h, layers, perLayerInput)
            try small.add(perLayerInput)
        }
        b.attention = attention.total
        b.denseMLP = mlp.total
        b.routedExperts = routed.total
        b.activeRoutedExperts = active.total
        b.sharedExpertsAndRouters = routers.total
        b.other = small.total
        var notes: [String] = []
        let towers = ["vision_config", "audio_config"].filter { keys.sub($0) != nil }
        if !towers.isEmpty {
            notes.append("Gemma 4's " + towers.joined(separator: " and ") + " tower(s) are not counted by the config formula.")
        }
        let layout = (moe ? "MoE decoder" : "decoder") + " (Gemma 4: sliding/global attention, per-layer inputs)"
        return ParameterEstimate(breakdown: b, layout: layout, isMoE: moe, notes: notes)
    }
}
