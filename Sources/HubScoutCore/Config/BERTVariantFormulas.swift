/// BERT variants whose shapes differ from BERT's own: DistilBERT (no token types, no pooler) and ALBERT
/// (factorised embeddings, layers shared across depth). Both add the task head their `architectures` names,
/// since fine-tuned checkpoints ship it.
enum BERTVariantFormulas {
    /// DistilBERT: word + position embeddings and a LayerNorm, `n_layers` biased encoder layers, then the head.
    static func distilBERT(_ c: ModelConfig) throws(ParameterCountError) -> ParameterEstimate {
        let keys = FamilyKeys(c.familyJSON ?? [:], modelType: c.modelType)
        let v = try keys.require(["dim", "n_layers", "hidden_dim", "vocab_size", "max_position_embeddings"])
        let (d, layers, inner, vocab, positions) = (v[0], v[1], v[2], v[3], v[4])
        if layers > ParameterCounter.maxLayers { throw .implausibleValue(key: "n_layers", value: layers) }
        var b = ParameterBreakdown()
        b.embedding = try ParamMath.sum(try ParamMath.mul(vocab, d, what: "embeddings"),
                                        try ParamMath.mul(positions, d, what: "positions"), what: "embeddings")
        var body = ParamTally("DistilBERT")
        try body.layerNorm(d)
        try body.biasedEncoderLayer(d, inner: inner, times: layers)
        var head = ParamTally("DistilBERT head")
        let arch = c.architecture ?? ""
        if arch.hasSuffix("ForSequenceClassification") || arch.hasSuffix("ForMultipleChoice") {
            // pre_classifier (dim → dim), then classifier (dim → labels; one logit per choice for multiple choice).
            try head.linear(d, d, bias: true)
            try head.linear(d, arch.hasSuffix("ForMultipleChoice") ? 1 : keys.numLabels, bias: true)
        } else if arch.hasSuffix("ForTokenClassification") {
            try head.linear(d, keys.numLabels, bias: true)
        } else if arch.hasSuffix("ForQuestionAnswering") {
            try head.linear(d, 2, bias: true)
        } else if arch.hasSuffix("ForMaskedLM") {
            // vocab_transform, vocab_layer_norm, and the projector's bias (its weight is tied to the embeddings).
            try head.linear(d, d, bias: true)
            try head.layerNorm(d)
            try head.add(vocab)
        }
        b.other = try ParamMath.sum(body.total, head.total, what: "DistilBERT")
        return ParameterEstimate(breakdown: b, layout: "encoder (DistilBERT: no token types, no pooler)", isMoE: false,
                                 notes: headNote(arch))
    }

    /// ALBERT: embeddings of width `embedding_size`, one linear up to `hidden_size`, then `num_hidden_groups` ×
    /// `inner_group_num` distinct layers reused over the depth, a pooler, and the head.
    static func albert(_ c: ModelConfig) throws(ParameterCountError) -> ParameterEstimate {
        let keys = FamilyKeys(c.familyJSON ?? [:], modelType: c.modelType)
        let v = try keys.require(["embedding_size", "hidden_size", "intermediate_size", "vocab_size",
                                  "max_position_embeddings", "num_hidden_groups", "inner_group_num"])
        let (e, h, inner, vocab, positions, groups, perGroup) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6])
        let distinct = try ParamMath.mul(groups, perGroup, what: "ALBERT layers")
        guard distinct <= Int64(ParameterCounter.maxLayers) else {
            throw .implausibleValue(key: "num_hidden_groups", value: groups)
        }
        let types = keys.int("type_vocab_size") ?? 2
        var b = ParameterBreakdown()
        b.embedding = try ParamMath.sum(try ParamMath.mul(vocab, e, what: "embeddings"),
                                        try ParamMath.mul(positions, e, what: "positions"),
                                        try ParamMath.mul(types, e, what: "token types"), what: "embeddings")
        var body = ParamTally("ALBERT")
        try body.layerNorm(e)
        try body.linear(e, h, bias: true)                                   // embedding_hidden_mapping_in
        // An ALBERT layer: a BERT layer plus the LayerNorm after its MLP (`full_layer_layer_norm`).
        var layer = ParamTally("ALBERT")
        try layer.biasedEncoderLayer(h, inner: inner)
        try body.add(count: layer.total, times: Int(distinct))
        try body.linear(h, h, bias: true)                                   // pooler
        var head = ParamTally("ALBERT head")
        let arch = c.architecture ?? ""
        if arch.hasSuffix("ForMaskedLM") || arch.hasSuffix("ForPreTraining") {
            // MLM head: dense (hidden → embedding_size), LayerNorm, decoder bias (its weight is tied).
            try head.linear(h, e, bias: true)
            try head.layerNorm(e)
            try head.add(vocab)
            if arch.hasSuffix("ForPreTraining") { try head.linear(h, 2, bias: true) }  // sentence-order head
        } else if arch.hasSuffix("ForSequenceClassification") || arch.hasSuffix("ForTokenClassification") {
            try head.linear(h, keys.numLabels, bias: true)
        } else if arch.hasSuffix("ForMultipleChoice") {
            try head.linear(h, 1, bias: true)
        } else if arch.hasSuffix("ForQuestionAnswering") {
            try head.linear(h, 2, bias: true)
        }
        b.other = try ParamMath.sum(body.total, head.total, what: "ALBERT")
        var notes = headNote(arch)
        notes.append("ALBERT shares \(distinct) distinct layer(s) across its depth; shared weights are counted once.")
        return ParameterEstimate(breakdown: b, layout: "encoder (ALBERT: factorised embeddings, shared layers)",
                                 isMoE: false, notes: notes)
    }

    /// TAPAS: BERT with one token-type table per entry of `type_vocab_sizes` (segment, column, row, rank…),
    /// a pooler, and for question answering the cell/column selection weights and the aggregation classifier.
    static func tapas(_ c: ModelConfig) throws(ParameterCountError) -> ParameterEstimate {
        let keys = FamilyKeys(c.familyJSON ?? [:], modelType: c.modelType)
        let v = try keys.require(["hidden_size", "num_hidden_layers", "intermediate_size", "vocab_size", "max_position_embeddings"])
        let (h, layers, inner, vocab, positions) = (v[0], v[1], v[2], v[3], v[4])
        if layers > ParameterCounter.maxLayers { throw .implausibleValue(key: "num_hidden_layers", value: layers) }
        let typeRows = (keys.ints("type_vocab_sizes") ?? [keys.int("type_vocab_size") ?? 2]).reduce(0) { $0 + max($1, 0) }
        var b = ParameterBreakdown()
        b.embedding = try ParamMath.sum(try ParamMath.mul(vocab, h, what: "embeddings"), try ParamMath.mul(positions, h, what: "positions"),
                                        try ParamMath.mul(typeRows, h, what: "token types"), what: "embeddings")
        var body = ParamTally("TAPAS")
        try body.layerNorm(h)
        try body.biasedEncoderLayer(h, inner: inner, times: layers)
        try body.linear(h, h, bias: true)                                   // pooler
        let arch = c.architecture ?? ""
        if arch.hasSuffix("ForQuestionAnswering") {
            try body.add(2 * h + 2)                                         // cell and column selection weights, biases
            let aggregations = keys.int("num_aggregation_labels") ?? 0
            if aggregations > 0 { try body.linear(h, aggregations, bias: true) }
        } else if arch.hasSuffix("ForSequenceClassification") {
            try body.linear(h, keys.numLabels, bias: true)
        }
        b.other = body.total
        return ParameterEstimate(breakdown: b, layout: "encoder (TAPAS: table token types)", isMoE: false, notes: headNote(arch))
    }

    /// ViLT: BERT text embeddings plus ViT-style patch embeddings (biased conv, class token, learned positions),
    /// a modality-type table, pre-LN encoder layers, a final LayerNorm and a pooler. Task heads are not counted.
    static func vilt(_ c: ModelConfig) throws(ParameterCountError) -> ParameterEstimate {
        let keys = FamilyKeys(c.familyJSON ?? [:], modelType: c.modelType)
        let v = try keys.require(["hidden_size", "num_hidden_layers", "intermediate_size", "vocab_size", "max_position_embeddings",
                                  "image_size", "patch_size"])
        let (h, layers, inner, vocab, positions, image, patch) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6])
        if layers > ParameterCounter.maxLayers { throw .implausibleValue(key: "num_hidden_layers", value: layers) }
        guard patch > 0, image / patch <= 100_000 else { throw .implausibleValue(key: "patch_size", value: patch) }
        var b = ParameterBreakdown()
        b.embedding = try ParamMath.sum(try ParamMath.mul(vocab, h, what: "embeddings"), try ParamMath.mul(positions, h, what: "positions"),
                                        try ParamMath.mul(keys.int("type_vocab_size") ?? 2, h, what: "token types"),
                                        what: "embeddings")
        var patches = ParamTally("ViLT patches")
        let side = image / patch
        try patches.add(h)                                                   // class token
        try patches.add(side * side + 1, h)                                  // patch positions
        try patches.linear((keys.int("num_channels") ?? 3) * patch * patch, h, bias: true)   // patch conv
        b.vision = patches.total
        var body = ParamTally("ViLT")
        try body.layerNorm(h)                                               // text embedding LayerNorm
        try body.add(keys.int("modality_type_vocab_size") ?? 2, h)          // modality types
        var layer = ParamTally("ViLT")
        try layer.biasedEncoderLayer(h, inner: inner)
        if keys.bool("qkv_bias") == false { try layer.add(count: -3 * Int64(h)) }
        try body.add(count: layer.total, times: layers)
        try body.layerNorm(h)
        try body.linear(h, h, bias: true)                                   // pooler
        b.other = body.total
        return ParameterEstimate(breakdown: b, layout: "vision-language encoder (ViLT)", isMoE: false,
                                 notes: ["Counted as the bare ViltModel; task heads are not included."])
    }

    /// Says which task head was counted, when `architectures` names one.
    static func headNote(_ architecture: String) -> [String] {
        guard let range = architecture.range(of: "For") else { return [] }
        return ["Counted with the \(architecture[range.lowerBound...]) head that `architectures` names."]
    }
}
