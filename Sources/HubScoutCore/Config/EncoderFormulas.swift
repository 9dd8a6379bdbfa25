/// GPT-2 style decoders: learned positions, fused QKV with biases, a 2-matrix MLP with biases, LayerNorms with biases.
enum GPT2Formula {
    static func estimate(_ c: ModelConfig) throws(ParameterCountError) -> ParameterEstimate {
        let v = try ParameterCounter.require([(c.hiddenSize, "n_embd"), (c.numLayers, "n_layer"), (c.vocabSize, "vocab_size"),
                                              (c.intermediateSize, "n_inner"), (c.contextLength, "n_positions")],
                                             modelType: c.modelType)
        let (h, layers, vocab, inner, positions) = (v[0], v[1], v[2], v[3], v[4])
        if layers > ParameterCounter.maxLayers { throw .implausibleValue(key: "n_layer", value: layers) }
        var b = ParameterBreakdown()
        b.embedding = try ParamMath.sum(try ParamMath.mul(vocab, h, what: "embeddings"),
                                        try ParamMath.mul(positions, h, what: "positions"), what: "embeddings")
        b.lmHead = c.tieWordEmbeddings == false ? try ParamMath.mul(vocab, h, what: "lm_head") : 0
        b.attention = try ParamMath.times(try ParamMath.mul(4, h, h, what: "attention"), layers, what: "attention")
        b.denseMLP = try ParamMath.times(try ParamMath.mul(2, h, inner, what: "MLP"), layers, what: "MLP")
        // Biases (3h + h attention, inner + h MLP) and two LayerNorms (2h each) per layer, plus ln_f.
        let small = try ParamMath.sum(try ParamMath.mul(8, h, what: "biases"), Int64(inner), try ParamMath.mul(4, h, what: "norms"),
                                      what: "biases")
        b.other = try ParamMath.sum(try ParamMath.times(small, layers, what: "biases"), try ParamMath.mul(2, h, what: "ln_f"),
                                    what: "biases")
        return ParameterEstimate(breakdown: b, layout: "decoder (GPT-2 style: learned positions, biases)", isMoE: false)
    }
}

/// BERT/RoBERTa encoders: word + position + token-type embeddings, biased attention and MLP, pooler. Task heads not counted.
enum BERTFormula {
    static func estimate(_ c: ModelConfig) throws(ParameterCountError) -> ParameterEstimate {
        let v = try ParameterCounter.require([(c.hiddenSize, "hidden_size"), (c.numLayers, "num_hidden_layers"),
                                              (c.vocabSize, "vocab_size"), (c.intermediateSize, "intermediate_size"),
                                              (c.contextLength, "max_position_embeddings")], modelType: c.modelType)
        let (h, layers, vocab, inner, positions) = (v[0], v[1], v[2], v[3], v[4])
        if layers > ParameterCounter.maxLayers { throw .implausibleValue(key: "num_hidden_layers", value: layers) }
        let types = c.typeVocabSize ?? 2
        var notes: [String] = ["Counted as the bare encoder with its pooler; task heads (MLM, classification) are not included."]
        if c.typeVocabSize == nil { notes.append("`type_vocab_size` is not stated: assumed 2.") }
        var b = ParameterBreakdown()
        b.embedding = try ParamMath.sum(try ParamMath.mul(vocab, h, what: "embeddings"),
                                        try ParamMath.mul(positions, h, what: "positions"),
                                        try ParamMath.mul(types, h, what: "token types"), what: "embeddings")
        b.attention = try ParamMath.times(try ParamMath.mul(4, h, h, what: "attention"), layers, what: "attention")
        b.denseMLP = try ParamMath.times(try ParamMath.mul(2, h, inner, what: "MLP"), layers, what: "MLP")
        // Per layer: 4h attention biases, inner + h MLP biases, two LayerNorms; plus embedding LayerNorm and pooler.
        let small = try ParamMath.sum(try ParamMath.mul(9, h, what: "biases"), Int64(inner), what: "biases")
        b.other = try ParamMath.sum(try ParamMath.times(small, layers, what: "biases"), try ParamMath.mul(2, h, what: "norm"),
                                    try ParamMath.mul(h, h, what: "pooler"), Int64(h), what: "biases")
        return ParameterEstimate(breakdown: b, layout: "encoder (BERT style)", isMoE: false, notes: notes)
    }
}

/// T5 encoder-decoders: shared embeddings, bias-free attention with relative position buckets, RMS norms.
enum T5Formula {
    static func estimate(_ c: ModelConfig) throws(ParameterCountError) -> ParameterEstimate {
        let v = try ParameterCounter.require([(c.hiddenSize, "d_model"), (c.numLayers, "num_layers"), (c.vocabSize, "vocab_size"),
                                              (c.intermediateSize, "d_ff"), (c.numAttentionHeads, "num_heads")],
                                             modelType: c.modelType)
        let (h, enc, vocab, ff, heads) = (v[0], v[1], v[2], v[3], v[4])
        let dec = c.numDecoderLayers ?? enc
        if enc > ParameterCounter.maxLayers || dec > ParameterCounter.maxLayers {
            throw .implausibleValue(key: "num_layers", value: max(enc, dec))
        }
        let d = c.headDim ?? h / heads
        let gated = (c.feedForwardProjection ?? "").hasPrefix("gated")
        let buckets = c.relativeAttentionNumBuckets ?? 32
        var b = ParameterBreakdown()
        b.embedding = try ParamMath.mul(vocab, h, what: "embeddings")
        b.lmHead = c.tieWordEmbeddings == false ? b.embedding : 0
        let attn = try ParamMath.mul(4, h, heads, d, what: "attention")
        // Encoder layers have self-attention; decoder layers self- and cross-attention.
        b.attention = try ParamMath.times(attn, enc + 2 * dec, what: "attention")
        let mlp = try ParamMath.mul(gated ? 3 : 2, h, ff, what: "MLP")
        b.denseMLP = try ParamMath.times(mlp, try ParamMath.plus(enc, dec, what: "layers"), what: "MLP")
        // Norms: 2 per encoder layer, 3 per decoder layer, 2 final; relative-position tables once per stack.
        let norms = try ParamMath.mul(h, try ParamMath.plus(try ParamMath.plus(2 * enc, 3 * dec, what: "norms"), 2, what: "norms"),
                                      what: "norms")
        b.other = try ParamMath.sum(norms, try ParamMath.mul(2, buckets, heads, what: "relative buckets"), what: "norms")
        let layout = "encoder-decoder (T5, " + (gated ? "gated" : "plain") + " FFN)"
        return ParameterEstimate(breakdown: b, layout: layout, isMoE: false)
    }
}

/// BART/mBART encoder-decoders: shared embeddings, learned positions (+2 offset), biased attention and MLP, LayerNorms.
enum BARTFormula {
    static func estimate(_ c: ModelConfig) throws(ParameterCountError) -> ParameterEstimate {
        let v = try ParameterCounter.require([(c.hiddenSize, "d_model"), (c.numLayers, "encoder_layers"),
                                              (c.vocabSize, "vocab_size"), (c.intermediateSize, "encoder_ffn_dim"),
                                              (c.contextLength, "max_position_embeddings")], modelType: c.modelType)
        let (h, enc, vocab, ff, positions) = (v[0], v[1], v[2], v[3], v[4])
        let dec = c.numDecoderLayers ?? enc
        if enc > ParameterCounter.maxLayers || dec > ParameterCounter.maxLayers {
            throw .implausibleValue(key: "encoder_layers", value: max(enc, dec))
        }
        var b = ParameterBreakdown()
        let positionRows = try ParamMath.plus(positions, 2, what: "positions")
        b.embedding = try ParamMath.sum(try ParamMath.mul(vocab, h, what: "embeddings"),
                                        try ParamMath.mul(2, positionRows, h, what: "positions"), what: "embeddings")
        b.lmHead = c.tieWordEmbeddings == false ? try ParamMath.mul(vocab, h, what: "lm_head") : 0
        let attn = try ParamMath.mul(4, h, h, what: "attention")
        let attnLayers = try ParamMath.plus(enc, try ParamMath.plus(dec, dec, what: "layers"), what: "layers")
        b.attention = try ParamMath.times(attn, attnLayers, what: "attention")
        let allLayers = try ParamMath.plus(enc, dec, what: "layers")
        b.denseMLP = try ParamMath.times(try ParamMath.mul(2, h, ff, what: "MLP"), allLayers, what: "MLP")
        // Biases: 4h per attention block, ff + h per MLP; LayerNorms 2h: 2 per encoder layer, 3 per decoder layer,
        // one embedding LayerNorm per stack (+ a final one per stack in mBART).
        let finalNorms = c.modelType == "mbart" ? 4 : 2
        let normCount = try ParamMath.plus(try ParamMath.plus(2 * enc, 3 * dec, what: "norms"), finalNorms, what: "norms")
        b.other = try ParamMath.sum(try ParamMath.times(try ParamMath.mul(4, h, what: "biases"), attnLayers, what: "biases"),
                                    try ParamMath.times(Int64(ff) + Int64(h), allLayers, what: "biases"),
                                    try ParamMath.mul(2, h, normCount, what: "norms"), what: "biases")
        return ParameterEstimate(breakdown: b, layout: "encoder-decoder (BART)", isMoE: false)
    }
}
