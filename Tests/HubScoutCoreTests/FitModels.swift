import HubScoutCore

/// Hand-built configs and parameter breakdowns of real models, with the arithmetic that produces each count.
/// The totals match published exact counts, so the breakdowns are checked before any memory figure is.
enum FitModels {
    // MARK: - Llama-3.1-8B: h 4096, 32 layers, 32 heads, 8 KV heads, head_dim 128, I 14336, V 128256, untied.
    static let llama31_8B = ModelConfig(
        modelType: "llama", architecture: "LlamaForCausalLM", hiddenSize: 4096, numLayers: 32, numAttentionHeads: 32,
        numKeyValueHeads: 8, headDim: 128, intermediateSize: 14336, vocabSize: 128256, tieWordEmbeddings: false,
        dtype: "bfloat16", contextLength: 131072)
    static let llama31_8BParams = ParameterBreakdown(
        embedding: 525_336_576,           // 128256 × 4096
        lmHead: 525_336_576,              // untied: another 128256 × 4096
        attention: 1_342_177_280,         // 32 × (2 × 4096·4096 + 2 × 4096·1024)
        denseMLP: 5_637_144_576,          // 32 × 3 × 4096 × 14336
        other: 266_240)                   // 32 × 2 × 4096 norms + 4096 final norm
    // total 8,030,261,248 = index.json total_size 16,060,522,496 / 2

    // MARK: - Llama-3.1-70B: h 8192, 80 layers, 64 heads, 8 KV heads, I 28672, V 128256, untied.
    static let llama31_70B = ModelConfig(
        modelType: "llama", hiddenSize: 8192, numLayers: 80, numAttentionHeads: 64, numKeyValueHeads: 8, headDim: 128,
        intermediateSize: 28672, vocabSize: 128256, tieWordEmbeddings: false, dtype: "bfloat16", contextLength: 131072)
    static let llama31_70BParams = ParameterBreakdown(
        embedding: 1_050_673_152,         // 128256 × 8192
        lmHead: 1_050_673_152,
        attention: 12_079_595_520,        // 80 × (2 × 8192·8192 + 2 × 8192·1024)
        denseMLP: 56_371_445_760,         // 80 × 3 × 8192 × 28672
        other: 1_318_912)                 // 80 × 2 × 8192 + 8192
    // total 70,553,706,496

    // MARK: - Mistral-7B-v0.1: like Llama-2-7B with GQA 8, V 32000, sliding_window 4096, 32k positions.
    static let mistral7B = ModelConfig(
        modelType: "mistral", architecture: "MistralForCausalLM", hiddenSize: 4096, numLayers: 32, numAttentionHeads: 32,
        numKeyValueHeads: 8, intermediateSize: 14336, vocabSize: 32000, tieWordEmbeddings: false, dtype: "bfloat16",
        contextLength: 32768, slidingWindow: 4096)
    static let mistral7BParams = ParameterBreakdown(
        embedding: 131_072_000, lmHead: 131_072_000,        // 32000 × 4096 each
        attention: 1_342_177_280, denseMLP: 5_637_144_576, other: 266_240)
    // total 7,241,732,096

    // MARK: - Mixtral-8x7B: Mistral-7B attention, 8 experts of 3 × 4096 × 14336 per layer, top-2, no sliding window.
    static let mixtral = ModelConfig(
        modelType: "mixtral", architecture: "MixtralForCausalLM", hiddenSize: 4096, numLayers: 32, numAttentionHeads: 32,
        numKeyValueHeads: 8, intermediateSize: 14336, vocabSize: 32000, tieWordEmbeddings: false, dtype: "bfloat16",
        contextLength: 32768, numExperts: 8, numExpertsPerToken: 2)
    static let mixtralParams = ParameterBreakdown(
        embedding: 131_072_000, lmHead: 131_072_000, attention: 1_342_177_280,
        routedExperts: 45_097_156_608,        // 32 layers × 8 experts × 176,160,768
        sharedExpertsAndRouters: 1_048_576,   // 32 × router 4096 × 8
        other: 266_240,
        activeRoutedExperts: 11_274_289_152)  // 2/8 of the experts
    // total 46,702,792,704; active 12,879,925,248

    // MARK: - DeepSeek-V2-Lite: h 2048, 27 layers, 16 heads, MLA (kv_lora_rank 512, rope 64, nope 128, v 128),
    // layer 0 dense (I 10944), 26 MoE layers of 64 experts (1408) + 2 shared, top-6, V 102400, untied.
    static let deepseekV2Lite = ModelConfig(
        modelType: "deepseek_v2", architecture: "DeepseekV2ForCausalLM", hiddenSize: 2048, numLayers: 27,
        numAttentionHeads: 16, numKeyValueHeads: 16, intermediateSize: 10944, vocabSize: 102400, tieWordEmbeddings: false,
        dtype: "bfloat16", contextLength: 163840, numExperts: 64, numExpertsPerToken: 6, moeIntermediateSize: 1408,
        numSharedExperts: 2, firstDenseLayers: 1, kvLoraRank: 512, qkRopeHeadDim: 64, qkNopeHeadDim: 128, vHeadDim: 128)
    static let deepseekV2LiteParams = ParameterBreakdown(
        embedding: 209_715_200, lmHead: 209_715_200,  // 102400 × 2048 each
        attention: 371_589_120,       // 27 × (q 2048·16·192 + kv_a 2048·576 + kv_b 512·16·256 + o 2048·2048)
        denseMLP: 67_239_936,         // 3 × 2048 × 10944
        routedExperts: 14_394_851_328, // 26 × 64 × 3 × 2048 × 1408
        sharedExpertsAndRouters: 453_246_976, // 26 × (2 × 8,650,752 + router 2048 × 64)
        other: 126_464,               // 27 × (2 × 2048 + 512) + 2048
        activeRoutedExperts: 1_349_517_312)   // 6/64 of the experts
    // total 15,706,484,224

    // MARK: - Qwen2.5-0.5B: h 896, 24 layers, 14 heads, 2 KV heads, head_dim 64, I 4864, V 151936, tied, qkv bias.
    static let qwen25_05B = ModelConfig(
        modelType: "qwen2", architecture: "Qwen2ForCausalLM", hiddenSize: 896, numLayers: 24, numAttentionHeads: 14,
        numKeyValueHeads: 2, intermediateSize: 4864, vocabSize: 151936, tieWordEmbeddings: true, dtype: "bfloat16",
        contextLength: 32768, slidingWindow: nil)     // use_sliding_window: false → nil
    static let qwen25_05BParams = ParameterBreakdown(
        embedding: 136_134_656,       // 151936 × 896, shared with the output head
        lmHead: 0,
        attention: 44_040_192,        // 24 × (2 × 896·896 + 2 × 896·128)
        denseMLP: 313_786_368,        // 24 × 3 × 896 × 4864
        other: 71_552)                // 24 × (biases 896+128+128 + norms 2 × 896) + 896
    // total 494,032,768

    // MARK: - Gemma-2-9B: h 3584, 42 layers, 16 heads, 8 KV heads, head_dim 256, I 14336, V 256000, tied,
    // sliding window 4096 on every other layer, 8192 positions.
    static let gemma2_9B = ModelConfig(
        modelType: "gemma2", architecture: "Gemma2ForCausalLM", hiddenSize: 3584, numLayers: 42, numAttentionHeads: 16,
        numKeyValueHeads: 8, headDim: 256, intermediateSize: 14336, vocabSize: 256000, tieWordEmbeddings: true,
        dtype: "bfloat16", contextLength: 8192, slidingWindow: 4096)
    static let gemma2_9BParams = ParameterBreakdown(
        embedding: 917_504_000,       // 256000 × 3584
        attention: 1_849_688_064,     // 42 × (3584·4096 + 2 × 3584·2048 + 4096·3584)
        denseMLP: 6_473_908_224,      // 42 × 3 × 3584 × 14336
        other: 605_696)               // 42 × 4 × 3584 + 3584
    // total 9,241,705,984

    // MARK: - Llama-2-7B (for the GPTQ repo): h 4096, 32 layers, MHA 32 heads, I 11008, V 32000, untied.
    static let llama2_7BGPTQ = ModelConfig(
        modelType: "llama", hiddenSize: 4096, numLayers: 32, numAttentionHeads: 32, numKeyValueHeads: 32,
        intermediateSize: 11008, vocabSize: 32000, tieWordEmbeddings: false, dtype: "float16", contextLength: 4096,
        quantization: QuantizationConfig(method: "gptq", bits: 4, groupSize: 128))
    static let llama2_7BParams = ParameterBreakdown(
        embedding: 131_072_000, lmHead: 131_072_000,
        attention: 2_147_483_648,     // 32 × 4 × 4096²
        denseMLP: 4_328_521_728,      // 32 × 3 × 4096 × 11008
        other: 266_240)
    // total 6,738,415,616

    // MARK: - BERT-base: encoder only.
    static let bertBase = ModelConfig(
        modelType: "bert", architecture: "BertForMaskedLM", hiddenSize: 768, numLayers: 12, numAttentionHeads: 12,
        intermediateSize: 3072, vocabSize: 30522, contextLength: 512)
    static let bertBaseParams = ParameterBreakdown(embedding: 23_440_896, attention: 28_311_552, denseMLP: 56_623_104, other: 1_000_000)
}
