/// A ViT image model counted whole (`model_type: vit`): patch embedding, class token and learned positions,
/// pre-LN encoder layers, a final LayerNorm, then what `architectures` adds: the image classifier, or the
/// bare model's pooler.
enum ViTFormula {
    static func estimate(_ c: ModelConfig) throws(ParameterCountError) -> ParameterEstimate {
        let keys = FamilyKeys(c.familyJSON ?? [:], modelType: c.modelType)
        let v = try keys.require(["hidden_size", "num_hidden_layers", "intermediate_size", "image_size", "patch_size"])
        let (h, layers, inner, image, patch) = (v[0], v[1], v[2], v[3], v[4])
        if layers > ParameterCounter.maxLayers { throw .implausibleValue(key: "num_hidden_layers", value: layers) }
        guard patch > 0, image / patch <= 100_000 else { throw .implausibleValue(key: "patch_size", value: patch) }
        let channels = keys.int("num_channels") ?? 3
        let qkvBias = keys.bool("qkv_bias") ?? true
        var t = ParamTally("ViT")
        let side = image / patch
        try t.add(h)                                           // class token
        try t.add(side * side + 1, h)                          // position embeddings (patches + class)
        try t.add(channels, patch, patch, h)                   // patch Conv2d weight
        try t.add(h)                                           // its bias
        var layer = ParamTally("ViT")
        try layer.biasedEncoderLayer(h, inner: inner)
        if !qkvBias { try layer.add(count: -3 * Int64(h)) }    // q/k/v without bias
        try t.add(count: layer.total, times: layers)
        try t.layerNorm(h)
        let arch = c.architecture ?? ""
        if arch.hasSuffix("ForImageClassification") {
            try t.linear(h, keys.numLabels, bias: true)
        } else if arch.hasSuffix("ForMaskedImageModeling") {
            // A mask token and a 1×1 conv decoder back to `encoder_stride`² × channels pixels per patch.
            let stride = keys.int("encoder_stride") ?? patch
            try t.add(h)
            try t.linear(h, stride * stride * channels, bias: true)
        } else {
            try t.linear(h, keys.int("pooler_output_size") ?? h, bias: true)   // ViTModel's pooler
        }
        var b = ParameterBreakdown()
        b.vision = t.total
        return ParameterEstimate(breakdown: b, layout: "vision encoder (ViT)", isMoE: false,
                                 notes: BERTVariantFormulas.headNote(arch))
    }
}
