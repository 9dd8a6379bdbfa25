/// DeepSeek-V4: low-rank queries (`q_lora_rank`) over one shared KV head of `head_dim`, a grouped low-rank
/// output (`o_groups` × `o_lora_rank`), per-head attention sinks, and per `layer_types` a KV compressor:
/// heavily compressed (HCA), or compressed-sparse (CSA, twice as wide, with a lightning indexer), or none for
/// sliding-window layers. Every layer is MoE (a router, routed experts, one shared expert); each layer wraps
/// attention and MLP in hyper-connections over `hc_mult` residual streams, and a hyper-head closes the model.
enum DeepseekV4Formula {
    /// Compression rates when `compress_rates` is not stated (`DeepseekV4Config.default_compress_rates`).
    static let defaultRates = ["compressed_sparse_attention": 4, "heavily_compressed_attention": 128]

    static func estimate(_ c: ModelConfig) throws(ParameterCountError) -> ParameterEstimate {
        let k = FamilyKeys(c.familyJSON ?? [:], modelType: c.modelType)
        let v = try k.require(["hidden_size", "num_hidden_layers", "num_attention_heads", "head_dim", "vocab_size",
                               "q_lora_rank", "o_lora_rank", "o_groups", "n_routed_experts", "moe_intermediate_size",
                               "hc_mult", "index_n_heads", "index_head_dim"])
        let (h, layers, heads, d, vocab, qRank, oRank, oGroups) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7])
        let (experts, expertSize, streams, indexHeads, indexDim) = (v[8], v[9], v[10], v[11], v[12])
        if layers > ParameterCounter.maxLayers { throw .implausibleValue(key: "num_hidden_layers", value: layers) }
        var notes: [String] = []
        // Layer kinds: stated, else the legacy per-layer `compress_ratios`, else two HCA layers then CSA/HCA alternating.
        var types: [String]
        if let stated = k.strings("layer_types") {
            types = stated
        } else if let ratios = k.ints("compress_ratios") {
            types = ratios.map { [0: "sliding_attention", 4: "compressed_sparse_attention"][$0] ?? "heavily_compressed_attention" }
        } else {
            types = Array(repeating: "heavily_compressed_attention", count: min(layers, 2))
                + (0..<max(layers - 2, 0)).map { $0 % 2 == 1 ? "compressed_sparse_attention" : "heavily_compressed_attention" }
        }
        if types.count < layers { types += Array(repeating: "sliding_attention", count: layers - types.count) }
        let rates = k.sub("compress_rates")
        let csaRate = rates?.int("compressed_sparse_attention") ?? defaultRates["compressed_sparse_attention"] ?? 4
        let hcaRate = rates?.int("heavily_compressed_attention") ?? defaultRates["heavily_compressed_attention"] ?? 128

        // Attention shared by every layer kind.
        var base = ParamTally("attention")
        try base.add(h, qRank)                              // q_a_proj
        try base.add(qRank, heads, d)                       // q_b_proj
        try base.add(h, d)                                  // kv_proj (one KV head)
        try base.add(oRank, heads, d)                       // o_a_proj: o_groups blocks of (heads·d/o_groups → o_lora_rank)
        try base.add(oGroups, oRank, h)                     // o_b_proj
        var baseSmall = ParamTally("norms")
        try baseSmall.add(qRank + d + heads)                // q_a_norm, kv_norm, sinks
        var attention = ParamTally("attention"), small = ParamTally("norms")
        for type in types.prefix(layers) {
            try attention.add(count: base.total)
            try small.add(count: baseSmall.total)
            switch type {
            case "heavily_compressed_attention":
                try attention.add(2, h, d)                  // compressor kv/gate
                try small.add(hcaRate * d + d)              // position bias, norm
            case "compressed_sparse_attention":
                try attention.add(4, h, d)                  // compressor kv/gate, 2·head_dim wide
                try small.add(csaRate * 2 * d + d)
                // The indexer: its own kv/gate compressor, query up-projection and head-weight scorer.
                try attention.add(4, h, indexDim)
                try attention.add(qRank, indexHeads, indexDim)
                try attention.add(h, indexHeads)
                try small.add(csaRate * 2 * indexDim + indexDim)
            default:
                break                                       // sliding-window layers have no compressor
            }
        }
        // Hyper-connections around attention and MLP: (2 + N)·N mixing weights read from N·h inputs, plus biases/scales.
        let mix = (2 + streams) * streams
        var hyper = ParamTally("hyper-connections")
        try hyper.add(mix, streams, h)
        try hyper.add(mix + 3)
        try small.add(count: hyper.total, times: 2 * layers)
        try small.add(2 * layers + 1, h)                    // two norms per layer, final norm
        try small.add(streams, streams, h)                  // hyper-head
        try small.add(streams + 1)

        let topK = min(k.int("num_experts_per_tok") ?? experts, experts)
        var b = ParameterBreakdown()
        b.embedding = try ParamMath.mul(vocab, h, what: "embeddings")
        b.lmHead = c.tieWordEmbeddings == true ? 0 : b.embedding
        b.attention = attention.total
        b.routedExperts = try ParamMath.times(try ParamMath.mul(experts, 3, h, expertSize, what: "experts"), layers, what: "experts")
        b.activeRoutedExperts = try ParamMath.times(try ParamMath.mul(topK, 3, h, expertSize, what: "experts"), layers,
                                                    what: "experts")
        // Router (hash or top-k, same weight shape) and one shared expert of the expert width per layer.
        b.sharedExpertsAndRouters = try ParamMath.times(try ParamMath.sum(try ParamMath.mul(experts, h, what: "router"),
                                                                          try ParamMath.mul(3, h, expertSize, what: "shared"),
                                                                          what: "routers"), layers, what: "routers")
        b.other = small.total
        if let mtp = k.int("num_nextn_predict_layers"), mtp > 0 {
            notes.append("\(mtp) multi-token-prediction layer(s) ship in the checkpoint but are not counted (transformers does not build them).")
        }
        return ParameterEstimate(breakdown: b, layout: "MoE decoder (DeepSeek-V4: compressed attention, hyper-connections)",
                                 isMoE: true, notes: notes)
    }
}
