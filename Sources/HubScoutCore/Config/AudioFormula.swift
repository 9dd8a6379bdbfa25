/// Whisper-style audio encoders (Whisper, Qwen2-Audio): two biased 3-wide convolutions over mel bins, a learned
/// position table, pre-LN layers with biased q/v/o and a bias-free k, a two-matrix biased MLP; then Whisper's text
/// decoder (self- and cross-attention) when the model is Whisper itself.
enum AudioFormula {
    /// The encoder tower's parameters.
    static func encoder(_ a: AudioConfig) throws(ParameterCountError) -> Int64 {
        let v = try ParameterCounter.require([(a.hiddenSize, "audio_config.d_model"), (a.numLayers, "audio_config.encoder_layers"),
                                              (a.intermediateSize, "audio_config.encoder_ffn_dim"),
                                              (a.numMelBins, "audio_config.num_mel_bins"),
                                              (a.maxSourcePositions, "audio_config.max_source_positions")],
                                             modelType: a.modelType)
        let (d, layers, ffn, mels, positions) = (v[0], v[1], v[2], v[3], v[4])
        if layers > ParameterCounter.maxLayers { throw .implausibleValue(key: "encoder_layers", value: layers) }
        let layer = try ParamMath.sum(try attention(d), try ParamMath.mul(4, d, what: "audio"), try mlp(d, ffn), what: "audio")
        return try ParamMath.sum(try ParamMath.times(layer, layers, what: "audio"),
                                 try ParamMath.mul(3, mels, d, what: "audio"), Int64(d),        // conv1
                                 try ParamMath.mul(3, d, d, what: "audio"), Int64(d),           // conv2
                                 try ParamMath.mul(positions, d, what: "audio"),
                                 try ParamMath.mul(2, d, what: "audio"), what: "audio")          // final LayerNorm
    }

    /// Whisper: encoder, then a decoder with tied output embeddings.
    static func whisper(_ c: ModelConfig, audio a: AudioConfig) throws(ParameterCountError) -> ParameterEstimate {
        let v = try ParameterCounter.require([(a.hiddenSize, "d_model"), (c.vocabSize, "vocab_size"),
                                              (c.numDecoderLayers, "decoder_layers"), (a.decoderIntermediateSize, "decoder_ffn_dim"),
                                              (a.maxTargetPositions, "max_target_positions")], modelType: c.modelType)
        let (d, vocab, layers, ffn, positions) = (v[0], v[1], v[2], v[3], v[4])
        if layers > ParameterCounter.maxLayers { throw .implausibleValue(key: "decoder_layers", value: layers) }
        var b = ParameterBreakdown()
        b.vision = try encoder(a)
        b.embedding = try ParamMath.sum(try ParamMath.mul(vocab, d, what: "embeddings"), try ParamMath.mul(positions, d, what: "positions"),
                                        what: "embeddings")
        b.lmHead = c.tieWordEmbeddings == false ? try ParamMath.mul(vocab, d, what: "lm_head") : 0
        // Decoder layer: self- and cross-attention, MLP, three LayerNorms; one final LayerNorm.
        let layer = try ParamMath.sum(try attention(d), try attention(d), try mlp(d, ffn), try ParamMath.mul(6, d, what: "norms"),
                                      what: "decoder")
        b.other = try ParamMath.sum(try ParamMath.times(layer, layers, what: "decoder"), try ParamMath.mul(2, d, what: "norms"),
                                    what: "decoder")
        return ParameterEstimate(breakdown: b, layout: "encoder-decoder (Whisper: audio encoder, text decoder)", isMoE: false)
    }

    /// q/k/v/o with biases on all but k.
    private static func attention(_ d: Int) throws(ParameterCountError) -> Int64 {
        try ParamMath.sum(try ParamMath.mul(4, d, d, what: "audio"), try ParamMath.mul(3, d, what: "audio"), what: "audio")
    }

    /// Two biased linears d → ffn → d.
    private static func mlp(_ d: Int, _ ffn: Int) throws(ParameterCountError) -> Int64 {
        try ParamMath.sum(try ParamMath.mul(2, d, ffn, what: "audio"), Int64(ffn), Int64(d), what: "audio")
    }
}
