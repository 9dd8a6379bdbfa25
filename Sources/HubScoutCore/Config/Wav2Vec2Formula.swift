/// Wav2Vec2 speech encoders: a 1-D convolutional feature encoder over raw audio (`conv_dim`/`conv_kernel`, with
/// a GroupNorm on the first layer or a LayerNorm on every layer), a projection into the model width, a grouped,
/// weight-normalised positional convolution, BERT-style biased encoder layers, and the head `architectures`
/// names (CTC or sequence classification).
enum Wav2Vec2Formula {
    static func estimate(_ c: ModelConfig) throws(ParameterCountError) -> ParameterEstimate {
        let k = FamilyKeys(c.familyJSON ?? [:], modelType: c.modelType)
        let v = try k.require(["hidden_size", "num_hidden_layers", "intermediate_size", "num_conv_pos_embeddings",
                               "num_conv_pos_embedding_groups"])
        let (h, layers, inner, posKernel, posGroups) = (v[0], v[1], v[2], v[3], v[4])
        if layers > ParameterCounter.maxLayers { throw .implausibleValue(key: "num_hidden_layers", value: layers) }
        guard let dims = k.ints("conv_dim"), let kernels = k.ints("conv_kernel"), !dims.isEmpty, dims.count == kernels.count else {
            throw .missingValues(["conv_dim", "conv_kernel"], modelType: c.modelType)
        }
        guard posGroups > 0, h % posGroups == 0 else { throw .implausibleValue(key: "num_conv_pos_embedding_groups", value: posGroups) }
        let convBias = k.bool("conv_bias") ?? false
        let layerNormed = k.string("feat_extract_norm") == "layer"
        var features = ParamTally("feature encoder")
        var previous = 1
        for (i, (dim, kernel)) in zip(dims, kernels).enumerated() {
            try features.add(dim, previous, kernel)
            if convBias { try features.add(dim) }
            if layerNormed || i == 0 { try features.layerNorm(dim) }    // LayerNorm per layer, or the first layer's GroupNorm
            previous = dim
        }
        try features.layerNorm(previous)                                // feature_projection
        try features.linear(previous, h, bias: true)
        var body = ParamTally("Wav2Vec2")
        // Weight-normalised grouped conv: direction v (h × h/groups × K), magnitude g (K), and a bias.
        try body.add(h, h / posGroups, posKernel)
        try body.add(posKernel + h)
        try body.layerNorm(h)
        try body.biasedEncoderLayer(h, inner: inner, times: layers)
        if (k.double("mask_time_prob") ?? 0) > 0 || (k.double("mask_feature_prob") ?? 0) > 0 {
            try body.add(h)                                             // masked_spec_embed
        }
        var notes: [String] = []
        if k.bool("add_adapter") == true { notes.append("The Wav2Vec2 adapter (`add_adapter`) is not counted.") }
        let arch = c.architecture ?? ""
        let out = k.int("output_hidden_size") ?? h
        if arch.hasSuffix("ForCTC") {
            try body.linear(out, try k.require(["vocab_size"])[0], bias: true)
        } else if arch.hasSuffix("ForSequenceClassification") || arch.hasSuffix("ForAudioFrameClassification") {
            if k.bool("use_weighted_layer_sum") == true { try body.add(layers + 1) }
            if arch.hasSuffix("ForSequenceClassification") {
                let proj = k.int("classifier_proj_size") ?? 256
                try body.linear(out, proj, bias: true)
                try body.linear(proj, k.numLabels, bias: true)
            } else {
                try body.linear(out, k.numLabels, bias: true)
            }
        }
        var b = ParameterBreakdown()
        b.vision = features.total
        b.other = body.total
        notes += BERTVariantFormulas.headNote(arch)
        return ParameterEstimate(breakdown: b, layout: "speech encoder (Wav2Vec2: conv feature encoder)", isMoE: false, notes: notes)
    }
}
