/// Llama 4: a decoder whose `moe_layers` (else every `interleave_moe_layer_step`-th layer) hold routed experts
/// (`intermediate_size` wide), a router and one shared expert, while the others keep a dense MLP
/// `intermediate_size_mlp` wide; then, for the multimodal model, a ViT with a pixel-shuffle adapter and a
/// bias-free projector into the language model.
enum Llama4Formula {
    static func estimate(_ c: ModelConfig) throws(ParameterCountError) -> ParameterEstimate {
        let keys = FamilyKeys(c.familyJSON ?? [:], modelType: c.modelType)
        let text = keys.sub("text_config") ?? keys
        let v = try text.require(["hidden_size", "num_hidden_layers", "num_attention_heads", "vocab_size",
                                  "intermediate_size", "intermediate_size_mlp", "num_local_experts"])
        let (h, layers, heads, vocab, expertSize, denseSize, experts) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6])
        if layers > ParameterCounter.maxLayers { throw .implausibleValue(key: "num_hidden_layers", value: layers) }
        let kvHeads = text.int("num_key_value_heads") ?? heads
        let d = text.int("head_dim") ?? h / max(heads, 1)
        let step = max(1, text.int("interleave_moe_layer_step") ?? 1)
        let moeLayers = Set(text.ints("moe_layers") ?? Array(stride(from: step - 1, to: layers, by: step)))
            .filter { $0 >= 0 && $0 < layers }.count
        let k = min(text.int("num_experts_per_tok") ?? 1, experts)
        var b = ParameterBreakdown()
        b.embedding = try ParamMath.mul(vocab, h, what: "embeddings")
        b.lmHead = c.tieWordEmbeddings == true ? 0 : b.embedding
        // Attention: q/o over all heads, k/v over the KV heads; the q/k norm has no weights.
        var attention = ParamTally("attention")
        try attention.add(2, h, heads, d)
        try attention.add(2, h, kvHeads, d)
        if text.bool("attention_bias") == true { try attention.add(heads * d + 2 * kvHeads * d + h) }
        b.attention = try ParamMath.times(attention.total, layers, what: "attention")
        b.denseMLP = try ParamMath.times(try ParamMath.mul(3, h, denseSize, what: "MLP"), layers - moeLayers, what: "MLP")
        b.routedExperts = try ParamMath.times(try ParamMath.mul(experts, 3, h, expertSize, what: "experts"), moeLayers,
                                              what: "experts")
        b.activeRoutedExperts = try ParamMath.times(try ParamMath.mul(k, 3, h, expertSize, what: "experts"), moeLayers,
                                                    what: "experts")
        // Per MoE layer: the router and one shared expert of the expert width.
        b.sharedExpertsAndRouters = try ParamMath.times(try ParamMath.sum(try ParamMath.mul(experts, h, what: "router"),
                                                                          try ParamMath.mul(3, h, expertSize, what: "shared"),
                                                                          what: "router"), moeLayers, what: "router")
        b.other = try ParamMath.sum(try ParamMath.mul(2 * layers + 1, h, what: "norms"), what: "norms")
        var notes: [String] = []
        if let vision = keys.sub("vision_config") {
            b.vision = try visionTower(vision, textHidden: h, notes: &notes)
        }
        let layout = "MoE decoder (Llama 4: \(moeLayers) of \(layers) layers routed, shared expert)"
        return ParameterEstimate(breakdown: b, layout: layout, isMoE: moeLayers > 0, notes: notes)
    }

    /// The vision encoder: an unfolded bias-free patch linear, class token and positions, pre/post LayerNorms,
    /// biased pre-LN layers, the pixel-shuffle MLP adapter, then the projector to the text width.
    private static func visionTower(_ v: FamilyKeys, textHidden: Int, notes: inout [String]) throws(ParameterCountError) -> Int64 {
        let x = try v.require(["hidden_size", "num_hidden_layers", "intermediate_size", "image_size", "patch_size",
                               "projector_input_dim", "projector_output_dim", "vision_output_dim"])
        let (hv, layers, inner, image, patch, adapterIn, adapterOut, out) = (x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7])
        if layers > ParameterCounter.maxLayers { throw .implausibleValue(key: "vision_config.num_hidden_layers", value: layers) }
        guard patch > 0, image / patch <= 100_000 else { throw .implausibleValue(key: "vision_config.patch_size", value: patch) }
        let side = image / patch
        var t = ParamTally("vision")
        try t.add(v.int("num_channels") ?? 3, patch, patch, hv)
        try t.add(hv)                                            // class embedding
        try t.add(side * side + 1, hv)                           // positions
        try t.layerNorm(hv)
        try t.layerNorm(hv)
        try t.biasedEncoderLayer(hv, inner: inner, times: layers)
        // Pixel-shuffle adapter: intermediate_size → projector_input_dim → projector_output_dim, no biases.
        try t.linear(inner, adapterIn, bias: false)
        try t.linear(adapterOut, adapterOut, bias: false)
        try t.linear(out, textHidden, bias: v.bool("multi_modal_projector_bias") ?? false)
        return t.total
    }
}
