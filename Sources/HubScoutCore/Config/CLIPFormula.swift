/// CLIP (`model_type: clip`): a text encoder (token + position embeddings, pre-LN layers, final LayerNorm) and a
/// vision encoder (bias-free patch conv, class token, positions, pre/post LayerNorms), each projected to
/// `projection_dim` without bias, plus the learned logit scale.
enum CLIPFormula {
    static func estimate(_ c: ModelConfig) throws(ParameterCountError) -> ParameterEstimate {
        let keys = FamilyKeys(c.familyJSON ?? [:], modelType: c.modelType)
        guard let text = keys.sub("text_config"), let vision = keys.sub("vision_config") else {
            throw .missingValues(["text_config", "vision_config"].filter { keys.sub($0) == nil }, modelType: c.modelType)
        }
        let tv = try text.require(["hidden_size", "num_hidden_layers", "intermediate_size", "vocab_size",
                                   "max_position_embeddings"])
        let vv = try vision.require(["hidden_size", "num_hidden_layers", "intermediate_size", "image_size", "patch_size"])
        let (ht, textLayers, textInner, vocab, positions) = (tv[0], tv[1], tv[2], tv[3], tv[4])
        let (hv, visionLayers, visionInner, image, patch) = (vv[0], vv[1], vv[2], vv[3], vv[4])
        if max(textLayers, visionLayers) > ParameterCounter.maxLayers {
            throw .implausibleValue(key: "num_hidden_layers", value: max(textLayers, visionLayers))
        }
        guard patch > 0, image / patch <= 100_000 else { throw .implausibleValue(key: "vision_config.patch_size", value: patch) }
        let projection = keys.int("projection_dim") ?? 512
        var b = ParameterBreakdown()
        b.embedding = try ParamMath.sum(try ParamMath.mul(vocab, ht, what: "embeddings"),
                                        try ParamMath.mul(positions, ht, what: "positions"), what: "embeddings")
        var textTower = ParamTally("CLIP text")
        try textTower.biasedEncoderLayer(ht, inner: textInner, times: textLayers)
        try textTower.layerNorm(ht)
        try textTower.linear(ht, projection, bias: false)
        try textTower.add(1)                                                  // logit_scale
        var visionTower = ParamTally("CLIP vision")
        let side = image / patch
        try visionTower.add(hv)                                               // class embedding
        try visionTower.add(vision.int("num_channels") ?? 3, patch, patch, hv)  // bias-free patch conv
        try visionTower.add(side * side + 1, hv)                              // positions
        try visionTower.layerNorm(hv)                                         // pre_layrnorm
        try visionTower.biasedEncoderLayer(hv, inner: visionInner, times: visionLayers)
        try visionTower.layerNorm(hv)                                         // post_layernorm
        try visionTower.linear(hv, projection, bias: false)
        b.other = textTower.total
        b.vision = visionTower.total
        return ParameterEstimate(breakdown: b, layout: "dual encoder (CLIP: text and vision towers)", isMoE: false)
    }
}
