/// Nemotron-H: a stack of single-mixer blocks (each one RMSNorm and one mixer) named by `layers_block_type`
/// (or the legacy `hybrid_override_pattern`, M/E/ * /-): Mamba-2 mixers, routed-expert MoE with a shared expert,
/// GQA attention, or a squared-ReLU MLP (up/down, no gate). The layer list, not `num_hidden_layers`, sets the depth.
enum NemotronHFormula {
    /// The block list a config without one gets (`NemotronHConfig.__post_init__`).
    static let defaultBlocks = ["linear_attention", "moe", "full_attention", "mlp"]

    static func estimate(_ c: ModelConfig) throws(ParameterCountError) -> ParameterEstimate {
        let k = FamilyKeys(c.familyJSON ?? [:], modelType: c.modelType)
        let v = try k.require(["hidden_size", "vocab_size"])
        let (h, vocab) = (v[0], v[1])
        var notes: [String] = []
        let blocks: [String]
        if let stated = k.strings("layers_block_type") ?? k.strings("layer_types") {
            blocks = stated.map(legacyName)
        } else if let pattern = k.string("hybrid_override_pattern") {
            let names: [Character: String] = ["M": "linear_attention", "E": "moe", "*": "full_attention", "-": "mlp"]
            blocks = pattern.prefix(ParameterCounter.maxLayers).map { names[$0] ?? String($0) }
        } else {
            blocks = defaultBlocks
            notes.append("No `layers_block_type` is stated: used the config class default (\(defaultBlocks.joined(separator: ", "))).")
        }
        var attention = ParamTally("attention"), mlp = ParamTally("MLP"), small = ParamTally("norms")
        var routed: Int64 = 0, active: Int64 = 0, routers = ParamTally("routers")
        for block in blocks {
            try small.add(h)                                            // the block's norm
            switch block {
            case "linear_attention", "mamba":
                let m = try k.require(["mamba_num_heads", "mamba_head_dim", "n_groups", "ssm_state_size", "conv_kernel"])
                let (mHeads, mHeadDim, groups, state, kernel) = (m[0], m[1], m[2], m[3], m[4])
                let inner = try ParamMath.mul(mHeads, mHeadDim, what: "Mamba")
                let conv = try ParamMath.sum(inner, try ParamMath.mul(2, groups, state, what: "Mamba"), what: "Mamba")
                guard conv <= Int64(Int32.max) else { throw .overflow("Mamba") }
                let (i, cd) = (Int(inner), Int(conv))
                let useBias = k.bool("use_bias") ?? false
                // in_proj yields the gate z, x/B/C for the conv, and one dt per head.
                try attention.linear(h, i + cd + mHeads, bias: useBias)
                try attention.linear(i, h, bias: useBias)
                try small.add(cd, kernel)
                if k.bool("use_conv_bias") ?? true { try small.add(cd) }
                try small.add(3, mHeads)                                // dt_bias, A_log, D
                try small.add(i)                                        // gated RMSNorm
            case "full_attention", "attention":
                let a = try k.require(["num_attention_heads"])
                let heads = a[0]
                let kv = k.int("num_key_value_heads") ?? heads
                let d = k.int("head_dim") ?? h / max(heads, 1)
                let bias = k.bool("attention_bias") ?? false
                try attention.linear(h, heads * d, bias: bias)
                try attention.linear(h, kv * d, bias: bias)
                try attention.linear(h, kv * d, bias: bias)
                try attention.linear(heads * d, h, bias: bias)
            case "mlp":
                let inner = try k.require(["intermediate_size"])[0]
                let bias = k.bool("mlp_bias") ?? false
                try mlp.linear(h, inner, bias: bias)
                try mlp.linear(inner, h, bias: bias)
            case "moe":
                let m = try k.require(["n_routed_experts", "moe_intermediate_size"])
                let (experts, size) = (m[0], m[1])
                let topK = min(k.int("num_experts_per_tok") ?? experts, experts)
                let bias = k.bool("mlp_bias") ?? false
                // Experts may work in a smaller latent width, reached through two projections.
                let width = k.int("moe_latent_size") ?? h
                if let latent = k.int("moe_latent_size") {
                    try routers.linear(h, latent, bias: bias)
                    try routers.linear(latent, h, bias: bias)
                }
                routed = try ParamMath.sum(routed, try ParamMath.mul(experts, 2, width, size, what: "experts"), what: "experts")
                active = try ParamMath.sum(active, try ParamMath.mul(topK, 2, width, size, what: "experts"), what: "experts")
                try routers.add(experts, h)                             // router
                let shared = (k.int("n_shared_experts") ?? 1) > 0 ? (k.int("moe_shared_expert_intermediate_size") ?? size) : 0
                if shared > 0 {
                    try routers.linear(h, shared, bias: bias)
                    try routers.linear(shared, h, bias: bias)
                }
            default:
                throw .missingValues(["layers_block_type (unknown block \"\(block.prefix(40))\")"], modelType: c.modelType)
            }
        }
        try small.add(h)                                                // norm_f
        var b = ParameterBreakdown()
        b.embedding = try ParamMath.mul(vocab, h, what: "embeddings")
        b.lmHead = c.tieWordEmbeddings == true ? 0 : b.embedding
        b.attention = attention.total
        b.denseMLP = mlp.total
        b.routedExperts = routed
        b.activeRoutedExperts = active
        b.sharedExpertsAndRouters = routers.total
        b.other = small.total
        let isMoE = blocks.contains("moe")
        return ParameterEstimate(breakdown: b, layout: "hybrid Mamba-2/attention\(isMoE ? "/MoE" : "") (Nemotron-H, \(blocks.count) blocks)",
                                 isMoE: isMoE, notes: notes)
    }

    /// Older configs name Mamba blocks `mamba` and attention blocks `attention`.
    private static func legacyName(_ name: String) -> String {
        switch name {
        case "mamba", "M": return "linear_attention"
        case "attention", "*": return "full_attention"
        case "E": return "moe"
        case "-": return "mlp"
        default: return name
        }
    }
}
