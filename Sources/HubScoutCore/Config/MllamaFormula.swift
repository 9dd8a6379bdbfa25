/// Mllama (Llama 3.2 Vision): a Llama decoder whose `cross_attention_layers` attend to image features (q/k
/// RMSNorms and two tanh gates each) with 8 extra embedding rows for image tokens, and a tiled ViT: bias-free
/// attention, gated position and tile embeddings per aspect ratio, a local and a gated global encoder, then a
/// biased projector from the concatenated intermediate features.
enum MllamaFormula {
    static func estimate(_ c: ModelConfig) throws(ParameterCountError) -> ParameterEstimate {
        let keys = FamilyKeys(c.familyJSON ?? [:], modelType: c.modelType)
        let text = keys.sub("text_config") ?? keys
        let v = try text.require(["hidden_size", "num_hidden_layers", "num_attention_heads", "vocab_size", "intermediate_size"])
        let (h, layers, heads, vocab, inner) = (v[0], v[1], v[2], v[3], v[4])
        if layers > ParameterCounter.maxLayers { throw .implausibleValue(key: "num_hidden_layers", value: layers) }
        let kvHeads = text.int("num_key_value_heads") ?? heads
        let d = h / max(heads, 1)
        let crossLayers = Set(text.ints("cross_attention_layers") ?? []).filter { $0 >= 0 && $0 < layers }.count
        var b = ParameterBreakdown()
        // The input table has 8 rows beyond the vocabulary (image and special tokens); lm_head does not.
        b.embedding = try ParamMath.mul(vocab + 8, h, what: "embeddings")
        b.lmHead = c.tieWordEmbeddings == true ? 0 : try ParamMath.mul(vocab, h, what: "lm_head")
        b.attention = try ParamMath.times(try ParamMath.sum(try ParamMath.mul(2, h, heads, d, what: "attention"),
                                                            try ParamMath.mul(2, h, kvHeads, d, what: "attention"),
                                                            what: "attention"), layers, what: "attention")
        b.denseMLP = try ParamMath.times(try ParamMath.mul(3, h, inner, what: "MLP"), layers, what: "MLP")
        var small = ParamTally("norms")
        try small.add(2 * layers + 1, h)                               // two norms per layer, final norm
        try small.add(crossLayers, 2 * d + 2)                          // cross layers: q/k norms, two gates
        b.other = small.total
        if let vision = keys.sub("vision_config") {
            b.vision = try visionTower(vision, textHidden: h)
        }
        return ParameterEstimate(breakdown: b, layout: "decoder (Mllama: \(crossLayers) cross-attention layers) + tiled ViT",
                                 isMoE: false)
    }

    private static func visionTower(_ v: FamilyKeys, textHidden: Int) throws(ParameterCountError) -> Int64 {
        let x = try v.require(["hidden_size", "num_hidden_layers", "num_global_layers", "intermediate_size", "image_size",
                               "patch_size", "max_num_tiles", "vision_output_dim"])
        let (hv, local, global, inner, image, patch, tiles, out) = (x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7])
        if local + global > ParameterCounter.maxLayers { throw .implausibleValue(key: "vision_config.num_hidden_layers", value: local) }
        guard patch > 0, image / patch <= 100_000 else { throw .implausibleValue(key: "vision_config.patch_size", value: patch) }
        // Aspect-ratio ids run 1…len(supported_aspect_ratios), with 0 for padding.
        let ratios = (v.object["supported_aspect_ratios"]?.arrayValue?.count ?? 8) + 1
        let patches = (image / patch) * (image / patch) + 1
        var t = ParamTally("vision")
        try t.add(hv)                                                  // class embedding
        try t.add(v.int("num_channels") ?? 3, patch, patch, hv)        // bias-free patch conv
        try t.add(patches, hv)                                         // gated position embedding
        try t.add(1)                                                   // its gate
        try t.add(ratios, tiles, patches, hv)                          // tile position embedding
        try t.add(2, ratios, tiles, hv)                                // pre/post tile embeddings
        try t.add(2)                                                   // their gates
        try t.layerNorm(hv)
        try t.layerNorm(hv)
        var layer = ParamTally("vision")
        try layer.biasedEncoderLayer(hv, inner: inner)
        try layer.add(count: -4 * Int64(hv))                           // attention without biases
        try t.add(count: layer.total, times: local + global)
        try t.add(count: 2, times: global)                             // global layers' attention/MLP gates
        try t.linear(out, textHidden, bias: true)                      // multi_modal_projector
        return t.total
    }
}
