/// Qwen3-Next and Qwen3.5 (dense and MoE) language models: most layers use a gated-DeltaNet linear attention,
/// every `full_attention_interval`-th layer (or as `layer_types` says) a gated full attention whose q projection
/// is twice as wide (query + output gate), with per-head q/k RMSNorms. The MLP is dense or a Qwen-MoE block
/// (router, routed experts, one gated shared expert). Vision towers are added by the caller.
enum HybridLinearAttentionFormula {
    /// Text model types this formula counts (the multimodal Qwen3.5 classes nest one of them).
    static let families: Set<String> = ["qwen3_next", "qwen3_5", "qwen3_5_text", "qwen3_5_moe", "qwen3_5_moe_text"]

    static func estimate(_ c: ModelConfig) throws(ParameterCountError) -> ParameterEstimate {
        let keys = FamilyKeys(c.familyJSON ?? [:], modelType: c.modelType)
        let text = keys.sub("text_config") ?? keys
        let v = try text.require(["hidden_size", "num_hidden_layers", "num_attention_heads", "vocab_size", "head_dim",
                                  "linear_key_head_dim", "linear_num_key_heads", "linear_value_head_dim",
                                  "linear_num_value_heads", "linear_conv_kernel_dim"])
        let (h, layers, heads, vocab, d) = (v[0], v[1], v[2], v[3], v[4])
        let (keyHeadDim, keyHeads, valueHeadDim, valueHeads, kernel) = (v[5], v[6], v[7], v[8], v[9])
        if layers > ParameterCounter.maxLayers { throw .implausibleValue(key: "num_hidden_layers", value: layers) }
        let kvHeads = text.int("num_key_value_heads") ?? heads
        let bias = text.bool("attention_bias") ?? false
        // Layer kinds: stated, else linear attention with every `full_attention_interval`-th (default 4th) layer full.
        let interval = max(1, text.int("full_attention_interval") ?? 4)
        var types = text.strings("layer_types") ?? []
        if types.count < layers {
            types += (types.count..<layers).map { ($0 + 1) % interval == 0 ? "full_attention" : "linear_attention" }
        }
        let linearLayers = types.prefix(layers).filter { $0 == "linear_attention" }.count
        let fullLayers = layers - linearLayers

        // Gated DeltaNet: fused q/k/v/z and b/a input projections, a depthwise causal conv over q/k/v, per-value-head
        // dt bias and A, a gated RMSNorm over one value head, and the output projection.
        let keyDim = try ParamMath.mul(keyHeadDim, keyHeads, what: "linear attention")
        let valueDim = try ParamMath.mul(valueHeadDim, valueHeads, what: "linear attention")
        guard keyDim <= Int64(Int32.max), valueDim <= Int64(Int32.max) else { throw .overflow("linear attention") }
        let (kd, vd) = (Int(keyDim), Int(valueDim))
        var linear = ParamTally("linear attention"), linearSmall = ParamTally("linear attention")
        try linear.add(h, 2 * kd + 2 * vd)                  // in_proj_qkvz (Qwen3.5 splits it into qkv and z)
        try linear.add(h, 2 * valueHeads)                   // in_proj_ba (or in_proj_b + in_proj_a)
        try linear.add(vd, h)                               // out_proj
        try linearSmall.add(2 * kd + vd, kernel)            // conv1d, no bias
        try linearSmall.add(2 * valueHeads)                 // dt_bias, A_log
        try linearSmall.add(valueHeadDim)                   // gated norm

        // Gated full attention: q_proj yields the query and its output gate.
        var full = ParamTally("attention"), fullSmall = ParamTally("attention")
        try full.linear(h, 2 * heads * d, bias: bias)
        try full.linear(h, kvHeads * d, bias: bias)
        try full.linear(h, kvHeads * d, bias: bias)
        try full.linear(heads * d, h, bias: bias)
        try fullSmall.add(2, d)                             // q_norm, k_norm

        var b = ParameterBreakdown()
        b.embedding = try ParamMath.mul(vocab, h, what: "embeddings")
        b.lmHead = c.tieWordEmbeddings == true ? 0 : b.embedding
        var attention = ParamTally("attention")
        try attention.add(count: linear.total, times: linearLayers)
        try attention.add(count: full.total, times: fullLayers)
        b.attention = attention.total

        // MLP: Qwen-MoE rule: a layer routes unless listed in `mlp_only_layers` or off the `decoder_sparse_step`.
        let experts = text.int("num_experts") ?? 0
        let step = max(1, text.int("decoder_sparse_step") ?? 1)
        let denseOnly = Set(text.ints("mlp_only_layers") ?? [])
        let moeLayers = experts > 0 ? (0..<layers).filter { !denseOnly.contains($0) && ($0 + 1) % step == 0 }.count : 0
        if moeLayers < layers {
            let inner = try text.require(["intermediate_size"])[0]
            b.denseMLP = try ParamMath.times(try ParamMath.mul(3, h, inner, what: "MLP"), layers - moeLayers, what: "MLP")
        }
        if moeLayers > 0 {
            let m = try text.require(["moe_intermediate_size"])
            let k = min(text.int("num_experts_per_tok") ?? experts, experts)
            b.routedExperts = try ParamMath.times(try ParamMath.mul(experts, 3, h, m[0], what: "experts"), moeLayers, what: "experts")
            b.activeRoutedExperts = try ParamMath.times(try ParamMath.mul(k, 3, h, m[0], what: "experts"), moeLayers,
                                                        what: "experts")
            var shared = ParamTally("routers")
            try shared.add(experts, h)                                           // router
            if let sharedSize = text.int("shared_expert_intermediate_size"), sharedSize > 0 {
                try shared.gatedMLP(h, sharedSize)
                try shared.add(h)                                                // shared_expert_gate
            }
            b.sharedExpertsAndRouters = try ParamMath.times(shared.total, moeLayers, what: "routers")
        }
        var small = ParamTally("norms")
        try small.add(count: linearSmall.total, times: linearLayers)
        try small.add(count: fullSmall.total, times: fullLayers)
        try small.add(2 * layers + 1, h)                                         // two norms per layer, final norm
        b.other = small.total
        var notes: [String] = []
        if let mtp = text.int("mtp_num_hidden_layers") ?? text.int("num_nextn_predict_layers"), mtp > 0 {
            notes.append("\(mtp) multi-token-prediction layer(s) may ship in the checkpoint but are not counted (transformers does not build them).")
        }
        let layout = (moeLayers > 0 ? "MoE decoder" : "decoder")
            + " (hybrid: \(linearLayers) gated-DeltaNet, \(fullLayers) gated full-attention layers)"
        return ParameterEstimate(breakdown: b, layout: layout, isMoE: moeLayers > 0, notes: notes)
    }
}
