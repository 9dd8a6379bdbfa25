/// A normalised view of a model's `config.json` across families.
/// Values the file does not state are nil; nothing a computation needs is guessed silently.
/// (Parsing lives in `ModelConfig+Parsing.swift`.)
public struct ModelConfig: Sendable, Equatable, Codable {
    /// `model_type` (e.g. `llama`, `qwen2_moe`, `gemma3`).
    public var modelType: String?
    /// First entry of `architectures` (e.g. `LlamaForCausalLM`).
    public var architecture: String?
    /// Model width (`hidden_size`, `n_embd`, `d_model`).
    public var hiddenSize: Int?
    /// Decoder (or encoder) layers (`num_hidden_layers`, `n_layer`, `num_layers`).
    public var numLayers: Int?
    /// Query heads (`num_attention_heads`, `n_head`, `num_heads`).
    public var numAttentionHeads: Int?
    /// KV heads; equals `numAttentionHeads` when the config does not say (MHA), 1 for multi-query.
    public var numKeyValueHeads: Int?
    /// `head_dim` when the config states it; else nil (callers may derive hidden/heads and must say so).
    public var headDim: Int?
    /// Dense MLP width (`intermediate_size`, `ffn_dim`, `d_ff`, `n_inner`).
    public var intermediateSize: Int?
    /// Vocabulary rows of the embedding (`vocab_size`, padded).
    public var vocabSize: Int?
    /// Whether lm_head shares the embedding matrix (stated, or the family default with a note).
    public var tieWordEmbeddings: Bool?
    /// `torch_dtype` / `dtype` (e.g. `bfloat16`).
    public var dtype: String?
    /// The context length and which key it came from.
    public var contextLength: Int?
    /// The key that gave `contextLength` (e.g. `text_config.max_position_embeddings`).
    public var contextLengthSource: String?
    /// `sliding_window` when enabled (nil when `use_sliding_window` is false).
    public var slidingWindow: Int?
    /// Per-layer attention kinds when the config lists them (`full_attention`, `sliding_attention`, `linear_attention`…).
    public var layerTypes: [String]?
    /// MoE: routed experts, experts active per token, expert FFN size, shared experts, leading dense layers, sparse step.
    public var numExperts: Int?
    /// Experts routed per token (`num_experts_per_tok`).
    public var numExpertsPerToken: Int?
    /// Width of one routed expert (`moe_intermediate_size`).
    public var moeIntermediateSize: Int?
    /// Shared experts per MoE layer (`n_shared_experts`).
    public var numSharedExperts: Int?
    /// Width of the shared expert (`shared_expert_intermediate_size`, Qwen-MoE).
    public var sharedExpertIntermediateSize: Int?
    /// Leading dense layers (`first_k_dense_replace`).
    public var firstDenseLayers: Int?
    /// Every Nth layer is MoE (`decoder_sparse_step`, `moe_layer_freq`).
    public var moeLayerFrequency: Int?
    /// MLA (DeepSeek-V2/V3): compressed KV latent rank and the rope part of the key head.
    public var kvLoraRank: Int?
    /// Query compression rank (`q_lora_rank`; nil = uncompressed queries).
    public var qLoraRank: Int?
    /// Rotary part of each query/key head (`qk_rope_head_dim`).
    public var qkRopeHeadDim: Int?
    /// Non-rotary part of each query/key head (`qk_nope_head_dim`).
    public var qkNopeHeadDim: Int?
    /// Value head size (`v_head_dim`).
    public var vHeadDim: Int?
    /// Encoder-decoder models (T5, BART): decoder layer count when it differs.
    public var isEncoderDecoder: Bool
    /// Decoder layers of encoder-decoder models (`num_decoder_layers`, `decoder_layers`).
    public var numDecoderLayers: Int?
    /// `quantization_config`, when present.
    public var quantization: QuantizationConfig?
    /// Vision tower of multimodal models (LLaVA, Qwen2-VL, Gemma 3), when present.
    public var vision: VisionConfig?
    /// Keys a computation needed but the file lacked.
    public var missing: [String]
    /// Whisper-style audio encoder (`audio_config` of Qwen2-Audio, or Whisper's own encoder), when present.
    public var audio: AudioConfig? = nil

    /// Creates a config from its parts (parsing lives in `ModelConfig+Parsing.swift`).
    public init(modelType: String? = nil, architecture: String? = nil, hiddenSize: Int? = nil, numLayers: Int? = nil,
                numAttentionHeads: Int? = nil, numKeyValueHeads: Int? = nil, headDim: Int? = nil,
                intermediateSize: Int? = nil, vocabSize: Int? = nil, tieWordEmbeddings: Bool? = nil, dtype: String? = nil,
                contextLength: Int? = nil, contextLengthSource: String? = nil, slidingWindow: Int? = nil,
                layerTypes: [String]? = nil, numExperts: Int? = nil, numExpertsPerToken: Int? = nil,
                moeIntermediateSize: Int? = nil, numSharedExperts: Int? = nil, sharedExpertIntermediateSize: Int? = nil,
                firstDenseLayers: Int? = nil, moeLayerFrequency: Int? = nil, kvLoraRank: Int? = nil, qLoraRank: Int? = nil,
                qkRopeHeadDim: Int? = nil, qkNopeHeadDim: Int? = nil, vHeadDim: Int? = nil, isEncoderDecoder: Bool = false,
                numDecoderLayers: Int? = nil, quantization: QuantizationConfig? = nil, vision: VisionConfig? = nil,
                missing: [String] = []) {
        self.modelType = modelType; self.architecture = architecture; self.hiddenSize = hiddenSize
        self.numLayers = numLayers; self.numAttentionHeads = numAttentionHeads; self.numKeyValueHeads = numKeyValueHeads
        self.headDim = headDim; self.intermediateSize = intermediateSize; self.vocabSize = vocabSize
        self.tieWordEmbeddings = tieWordEmbeddings; self.dtype = dtype; self.contextLength = contextLength
        self.contextLengthSource = contextLengthSource; self.slidingWindow = slidingWindow; self.layerTypes = layerTypes
        self.numExperts = numExperts; self.numExpertsPerToken = numExpertsPerToken
        self.moeIntermediateSize = moeIntermediateSize; self.numSharedExperts = numSharedExperts
        self.sharedExpertIntermediateSize = sharedExpertIntermediateSize; self.firstDenseLayers = firstDenseLayers
        self.moeLayerFrequency = moeLayerFrequency; self.kvLoraRank = kvLoraRank; self.qLoraRank = qLoraRank
        self.qkRopeHeadDim = qkRopeHeadDim; self.qkNopeHeadDim = qkNopeHeadDim; self.vHeadDim = vHeadDim
        self.isEncoderDecoder = isEncoderDecoder; self.numDecoderLayers = numDecoderLayers
        self.quantization = quantization; self.vision = vision; self.missing = missing
    }

    /// True when the model routes tokens through experts.
    public var isMoE: Bool { (numExperts ?? 0) > 1 }

    // MARK: - Added with the config parser (issue 3); all have defaults so the initialiser above is unchanged.

    /// `model_type` of the nested language model (`text_config.model_type`) of multimodal models.
    public var textModelType: String? = nil
    /// The raw position limit (`max_position_embeddings` or an alias) before any rope scaling is applied.
    public var maxPositionEmbeddings: Int? = nil
    /// `rope_scaling.rope_type` (or `type`): `linear`, `dynamic`, `yarn`, `llama3`, `longrope`…
    public var ropeScalingType: String? = nil
    /// `rope_scaling.factor`.
    public var ropeScalingFactor: Double? = nil
    /// `original_max_position_embeddings` (inside `rope_scaling` or at the top level).
    public var originalContextLength: Int? = nil
    /// `hidden_act` / `hidden_activation` (e.g. `silu`, `gelu_pytorch_tanh`).
    public var hiddenAct: String? = nil
    /// T5 `feed_forward_proj` (`relu`, `gated-gelu`): gated means three FFN matrices.
    public var feedForwardProjection: String? = nil
    /// BERT `type_vocab_size` (token type embeddings).
    public var typeVocabSize: Int? = nil
    /// `attention_bias` when stated (Llama-style configs; Qwen2 has q/k/v biases regardless).
    public var attentionBias: Bool? = nil
    /// Qwen-MoE `mlp_only_layers`: layers that keep a dense MLP.
    public var mlpOnlyLayers: [Int]? = nil
    /// Gemma 3 `sliding_window_pattern` (every Nth layer is global).
    public var slidingWindowPattern: Int? = nil
    /// DeepSeek-V3 `num_nextn_predict_layers` (multi-token-prediction layers, shipped but not part of the published count).
    public var numNextNPredictLayers: Int? = nil
    /// T5 `relative_attention_num_buckets`.
    public var relativeAttentionNumBuckets: Int? = nil
    /// Sub-configs present but not modelled (e.g. `audio_config`).
    public var otherSubConfigs: [String] = []
    /// What the parser assumed or ignored (defaults applied, wrong types skipped), as sentences.
    public var notes: [String] = []
    /// Top-level keys the file lacked, filled from the family's config class defaults (nil when none were);
    /// sizes built on them describe the family's reference model, not necessarily this one.
    public var defaultedKeys: [String]? = nil
    /// The config as transformers reads it (the file's keys completed with class defaults), kept only for the
    /// families whose parameter formula needs keys beyond the fields above (`FamilyKeys.modelTypes`); nil otherwise.
    public var familyJSON: [String: JSONValue]? = nil
}

/// `quantization_config` of a pre-quantized checkpoint (GPTQ, AWQ, bitsandbytes, FP8, MXFP4, compressed-tensors…).
public struct QuantizationConfig: Sendable, Equatable, Codable {
    /// `quant_method` (e.g. `gptq`, `awq`, `bitsandbytes`, `fp8`, `mxfp4`).
    public var method: String
    /// Bits per quantized weight (`bits`; 4 or 8 implied by bitsandbytes flags).
    public var bits: Int?
    /// Weights per scale group (`group_size`; -1 = per channel).
    public var groupSize: Int?
    /// bitsandbytes: 4-bit type (`nf4`/`fp4`) and double quantisation.
    public var bnb4bitQuantType: String?
    /// bitsandbytes `bnb_4bit_use_double_quant`.
    public var bnb4bitDoubleQuant: Bool?
    /// bitsandbytes `load_in_4bit`.
    public var loadIn4bit: Bool?
    /// bitsandbytes `load_in_8bit`.
    public var loadIn8bit: Bool?
    /// Modules left unconverted (`modules_to_not_convert`, `ignore`).
    public var modulesNotConverted: [String]

    /// Creates a quantization description.
    public init(method: String, bits: Int? = nil, groupSize: Int? = nil, bnb4bitQuantType: String? = nil,
                bnb4bitDoubleQuant: Bool? = nil, loadIn4bit: Bool? = nil, loadIn8bit: Bool? = nil,
                modulesNotConverted: [String] = []) {
        self.method = method; self.bits = bits; self.groupSize = groupSize; self.bnb4bitQuantType = bnb4bitQuantType
        self.bnb4bitDoubleQuant = bnb4bitDoubleQuant; self.loadIn4bit = loadIn4bit; self.loadIn8bit = loadIn8bit
        self.modulesNotConverted = modulesNotConverted
    }
}

/// The vision tower of a multimodal model.
public struct VisionConfig: Sendable, Equatable, Codable {
    /// Tower width (`hidden_size`, Qwen-VL `embed_dim`).
    public var hiddenSize: Int?
    /// Encoder layers (`num_hidden_layers`, `depth`).
    public var numLayers: Int?
    /// MLP width (`intermediate_size`, or `embed_dim × mlp_ratio`).
    public var intermediateSize: Int?
    /// Attention heads.
    public var numAttentionHeads: Int?
    /// Patch side in pixels.
    public var patchSize: Int?
    /// Input image side in pixels.
    public var imageSize: Int?

    /// `vision_config.model_type` (e.g. `clip_vision_model`, `siglip_vision_model`), or the parent's for Qwen-VL.
    public var modelType: String? = nil
    /// Input channels (`num_channels`, `in_chans`), 3 when unstated.
    public var numChannels: Int? = nil
    /// Qwen-VL: frames per temporal patch (Conv3d depth).
    public var temporalPatchSize: Int? = nil
    /// Qwen-VL: patches merged per side before the projector.
    public var spatialMergeSize: Int? = nil
    /// Qwen-VL: output width of the merger (`hidden_size`/`out_hidden_size` of the vision config).
    public var outHiddenSize: Int? = nil

    /// Qwen3-VL: rows of the learned position table (`num_position_embeddings`).
    public var numPositionEmbeddings: Int? = nil
    /// Qwen3-VL: layers feeding an extra "deepstack" merger (`deepstack_visual_indexes`).
    public var deepstackLayerCount: Int? = nil

    /// Creates a vision config from its parts.
    public init(hiddenSize: Int? = nil, numLayers: Int? = nil, intermediateSize: Int? = nil,
                numAttentionHeads: Int? = nil, patchSize: Int? = nil, imageSize: Int? = nil) {
        self.hiddenSize = hiddenSize; self.numLayers = numLayers; self.intermediateSize = intermediateSize
        self.numAttentionHeads = numAttentionHeads; self.patchSize = patchSize; self.imageSize = imageSize
    }
}

/// A Whisper-style audio encoder: two convolutions over mel bins, learned positions, pre-LN transformer layers.
public struct AudioConfig: Sendable, Equatable, Codable {
    /// `model_type` of the audio config (e.g. `qwen2_audio_encoder`), or the parent's for Whisper.
    public var modelType: String?
    /// Encoder width (`d_model`).
    public var hiddenSize: Int?
    /// Encoder layers (`encoder_layers`).
    public var numLayers: Int?
    /// Encoder MLP width (`encoder_ffn_dim`).
    public var intermediateSize: Int?
    /// Mel bins fed to the first convolution (`num_mel_bins`).
    public var numMelBins: Int?
    /// Rows of the encoder position table (`max_source_positions`).
    public var maxSourcePositions: Int?
    /// Whisper's decoder: rows of its position table (`max_target_positions`) and MLP width (`decoder_ffn_dim`).
    public var maxTargetPositions: Int?
    /// Whisper's decoder MLP width (`decoder_ffn_dim`).
    public var decoderIntermediateSize: Int?

    /// Creates an audio config from its parts.
    public init(modelType: String? = nil, hiddenSize: Int? = nil, numLayers: Int? = nil, intermediateSize: Int? = nil,
                numMelBins: Int? = nil, maxSourcePositions: Int? = nil, maxTargetPositions: Int? = nil,
                decoderIntermediateSize: Int? = nil) {
        self.modelType = modelType; self.hiddenSize = hiddenSize; self.numLayers = numLayers
        self.intermediateSize = intermediateSize; self.numMelBins = numMelBins; self.maxSourcePositions = maxSourcePositions
        self.maxTargetPositions = maxTargetPositions; self.decoderIntermediateSize = decoderIntermediateSize
    }
}
