/// Pre-LLaMA decoders (GPT-NeoX, OPT, BLOOM): biased q/k/v/o, a two-matrix biased MLP, LayerNorms with bias.
/// They differ only in positions (OPT learns them, with 2 offset rows), BLOOM's embedding LayerNorm and
/// BLOOM's fixed 4 × hidden MLP.
enum ClassicDecoderFormula {
    static let families: Set<String> = ["gpt_neox", "opt", "bloom"]

    static func estimate(_ c: ModelConfig, family: String) throws(ParameterCountError) -> ParameterEstimate {
        let v = try ParameterCounter.require([(c.hiddenSize, "hidden_size"), (c.numLayers, "num_hidden_layers"),
                                              (c.vocabSize, "vocab_size")], modelType: c.modelType)
        let (h, layers, vocab) = (v[0], v[1], v[2])
        if layers > ParameterCounter.maxLayers { throw .implausibleValue(key: "num_hidden_layers", value: layers) }
        // BLOOM's MLP is always 4 × hidden; the others state their width.
        let inner: Int
        if family == "bloom" {
            inner = try ParamMath.plus(h, try ParamMath.plus(h, try ParamMath.plus(h, h, what: "MLP"), what: "MLP"), what: "MLP")
        } else {
            inner = try ParameterCounter.require([(c.intermediateSize, family == "opt" ? "ffn_dim" : "intermediate_size")],
                                                 modelType: c.modelType)[0]
        }
        var b = ParameterBreakdown()
        var embedding = try ParamMath.mul(vocab, h, what: "embeddings")
        if family == "opt" {
            // OPT's learned positions carry two extra rows (its padding offset).
            let positions = try ParameterCounter.require([(c.maxPositionEmbeddings ?? c.contextLength, "max_position_embeddings")],
                                                         modelType: c.modelType)[0]
            embedding = try ParamMath.sum(embedding, try ParamMath.mul(try ParamMath.plus(positions, 2, what: "positions"), h,
                                                                       what: "positions"), what: "embeddings")
        }
        b.embedding = embedding
        b.lmHead = c.tieWordEmbeddings == false ? try ParamMath.mul(vocab, h, what: "lm_head") : 0
        b.attention = try ParamMath.times(try ParamMath.mul(4, h, h, what: "attention"), layers, what: "attention")
        b.denseMLP = try ParamMath.times(try ParamMath.mul(2, h, inner, what: "MLP"), layers, what: "MLP")
        // Per layer: 4h attention biases, inner + h MLP biases, two LayerNorms (2h each); then a final LayerNorm,
        // and BLOOM's LayerNorm after the embeddings.
        let small = try ParamMath.sum(try ParamMath.mul(9, h, what: "biases"), Int64(inner), what: "biases")
        let tail = try ParamMath.mul(family == "bloom" ? 4 : 2, h, what: "norms")
        b.other = try ParamMath.sum(try ParamMath.times(small, layers, what: "biases"), tail, what: "biases")
        return ParameterEstimate(breakdown: b, layout: "decoder (\(family): biases, LayerNorm, plain MLP)", isMoE: false)
    }
}
