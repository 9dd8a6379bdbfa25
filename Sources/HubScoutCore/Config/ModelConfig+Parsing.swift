import Foundation

extension ModelConfig {
    /// Largest config.json accepted (bytes).
    public static let maxConfigBytes = 16 * 1024 * 1024
    /// Deepest JSON nesting accepted in config.json.
    public static let maxConfigDepth = 64

    /// Parses `config.json` leniently into the normalised view.
    /// Throws only when the bytes are not a JSON object; values of the wrong type are skipped and noted.
    public init(jsonData: Data) throws(ConfigError) {
        guard jsonData.count <= Self.maxConfigBytes else {
            throw .tooLarge(bytes: jsonData.count, limit: Self.maxConfigBytes)
        }
        guard JSONNesting.depth(of: jsonData, limit: Self.maxConfigDepth) <= Self.maxConfigDepth else {
            throw .tooDeep(limit: Self.maxConfigDepth)
        }
        let value: JSONValue
        do {
            value = try SafeJSON.decode(JSONValue.self, from: jsonData)
        } catch {
            throw .invalidJSON(Self.shortDescription(of: error))
        }
        guard let object = value.objectValue else { throw .notAnObject }
        self.init(json: object)
    }

    /// Builds the normalised view from an already decoded config object (e.g. the API's `config` summary).
    public init(json stated: [String: JSONValue]) {
        self.init()
        // Keys the file leaves out take the config class's defaults, as when transformers reads it.
        let (top, filled, inferred) = ConfigDefaults.complete(stated)
        var scope = ConfigScope(layers: [.init(prefix: "", object: top)])
        modelType = scope.string(["model_type"])
        if FamilyKeys.modelTypes.contains(modelType ?? "") { familyJSON = top }
        architecture = scope.array("architectures")?.first?.stringValue

        // Multimodal models keep their language model in a nested config; its keys are the more specific ones.
        var lm = scope
        for key in ["text_config", "llm_config", "language_config"] {
            if let (nested, qualified) = scope.object(key) {
                lm = ConfigScope(layers: [.init(prefix: qualified + ".", object: nested), .init(prefix: "", object: top)])
                textModelType = nested["model_type"]?.stringValue
                notes.append("The language model was read from `\(qualified)`, then the top level.")
                break
            }
        }
        if let inferred {
            notes.append("`model_type` is not stated; inferred `\(inferred)` from `architectures` (\(architecture ?? "")).")
        }
        if !filled.isEmpty {
            notes.append("Estimated from defaults: " + filled.map { "`\($0)`" }.joined(separator: ", ")
                         + " not stated; used the \(modelType ?? "") config class defaults, as transformers does.")
            let shape = filled.filter { ConfigDefaults.shapeKeys.contains(String($0.split(separator: ".").last ?? "")) }
            if !shape.isEmpty { defaultedKeys = shape.map { String($0.split(separator: ".").last ?? "") } }
        }
        let defaults: [String: Int] = [:]
        func sized(_ keys: [String], _ defaultKey: String? = nil) -> Int? {
            if let found = lm.positiveInt(keys) { return found.value }
            if let key = defaultKey, let value = defaults[key] {
                notes.append("`\(key)` is not stated; used the \(textModelType ?? modelType ?? "") config default \(value).")
                defaultedKeys = (defaultedKeys ?? []) + [key]
                return value
            }
            return nil
        }

        hiddenSize = sized(["hidden_size", "n_embd", "d_model", "dim"], "hidden_size")
        numLayers = sized(["num_hidden_layers", "n_layer", "n_layers", "num_layers", "encoder_layers"], "num_hidden_layers")
        numAttentionHeads = sized(["num_attention_heads", "n_head", "n_heads", "num_heads", "encoder_attention_heads"],
                                  "num_attention_heads")
        parseKeyValueHeads(&lm, defaults: defaults)
        headDim = lm.positiveInt(["head_dim", "d_kv"])?.value
        vocabSize = sized(["vocab_size", "padded_vocab_size", "n_vocab"], "vocab_size")
        parseIntermediate(&lm, defaults: defaults)
        dtype = lm.string(["torch_dtype", "dtype"])
        hiddenAct = lm.string(["hidden_act", "hidden_activation", "activation_function"])
        feedForwardProjection = lm.string(["feed_forward_proj"])
        typeVocabSize = lm.positiveInt(["type_vocab_size"], allowZero: true)?.value
        attentionBias = lm.bool(["attention_bias"])
        relativeAttentionNumBuckets = lm.positiveInt(["relative_attention_num_buckets"])?.value
        numNextNPredictLayers = lm.positiveInt(["num_nextn_predict_layers"], allowZero: true)?.value
        parseTying(&lm, top: &scope)
        parseContext(&lm, defaults: defaults)
        parseAttentionWindow(&lm)
        parseExperts(&lm)
        parseEncoderDecoder(&lm)
        quantization = Self.parseQuantization(&scope)
        vision = Self.parseVision(&scope, parentModelType: modelType)
        audio = Self.parseAudio(&scope, parentModelType: modelType)
        for key in ["audio_config", "speech_config", "audio_encoder_config"] where scope.has(key) {
            if key == "audio_config", audio?.hiddenSize != nil { continue }   // counted as a Whisper-style encoder
            otherSubConfigs.append(key)
            notes.append("`\(key)` is present; its weights are not counted by the config formula.")
        }
        notes.insert(contentsOf: scope.notes, at: 0)
        notes.append(contentsOf: lm.notes.filter { !notes.contains($0) })
    }

    private mutating func parseKeyValueHeads(_ lm: inout ConfigScope, defaults: [String: Int]) {
        if let kv = lm.positiveInt(["num_key_value_heads", "n_head_kv", "num_kv_heads", "multi_query_group_num"]) {
            numKeyValueHeads = kv.value
        } else if lm.bool(["multi_query"]) == true {
            numKeyValueHeads = 1
            notes.append("`multi_query` is true: one KV head.")
        } else if let value = defaults["num_key_value_heads"] {
            numKeyValueHeads = value
            notes.append("`num_key_value_heads` is not stated; used the \(textModelType ?? modelType ?? "") config default \(value).")
            defaultedKeys = (defaultedKeys ?? []) + ["num_key_value_heads"]
        } else if let heads = numAttentionHeads {
            numKeyValueHeads = heads
            notes.append("No KV head count is stated: assumed multi-head attention (KV heads = \(heads) heads).")
        }
    }

    private mutating func parseIntermediate(_ lm: inout ConfigScope, defaults: [String: Int]) {
        if let found = lm.positiveInt(["intermediate_size", "ffn_dim", "d_ff", "n_inner", "hidden_dim",
                                       "encoder_ffn_dim", "ffn_hidden_size"]) {
            intermediateSize = found.value
        } else if let value = defaults["intermediate_size"] {
            intermediateSize = value
            notes.append("`intermediate_size` is not stated; used the \(textModelType ?? modelType ?? "") config default \(value).")
            defaultedKeys = (defaultedKeys ?? []) + ["intermediate_size"]
        } else if let hidden = hiddenSize, ["gpt2", "gpt_bigcode", "gptj", "gpt_neo", "codegen"].contains(modelType ?? "") {
            // GPT-2 style configs leave `n_inner` null, meaning 4 × n_embd.
            let (value, overflow) = hidden.multipliedReportingOverflow(by: 4)
            if !overflow {
                intermediateSize = value
                notes.append("`n_inner` is not set: used 4 × n_embd = \(value), the GPT-2 convention.")
            }
        }
    }

    private mutating func parseTying(_ lm: inout ConfigScope, top: inout ConfigScope) {
        // transformers ties by the composite model's own flag; a nested text config's flag only counts without one.
        if let tied = top.bool(["tie_word_embeddings"]) ?? lm.bool(["tie_word_embeddings"]) {
            tieWordEmbeddings = tied
        } else {
            let fallback = ConfigDefaults.tiedEmbeddings(modelType: textModelType ?? modelType)
            tieWordEmbeddings = fallback.value
            notes.append("`tie_word_embeddings` is not stated; assumed \(fallback.value), \(fallback.reason).")
        }
    }

    private mutating func parseContext(_ lm: inout ConfigScope, defaults: [String: Int]) {
        let keys = ["max_position_embeddings", "n_positions", "max_seq_len", "seq_length", "n_ctx", "max_sequence_length"]
        if let found = lm.positiveInt(keys) {
            contextLength = found.value
            contextLengthSource = found.key
        } else if let value = defaults["max_position_embeddings"] {
            contextLength = value
            contextLengthSource = "\(textModelType ?? modelType ?? "") config default max_position_embeddings"
            notes.append("No context length is stated; used the \(textModelType ?? modelType ?? "") config default \(value).")
        }
        maxPositionEmbeddings = contextLength
        let rope = lm.object("rope_scaling") ?? lm.object("rope_parameters")
        if let (r, ropeKey) = rope {
            var ropeScope = ConfigScope(layers: [.init(prefix: ropeKey + ".", object: r)])
            ropeScalingType = ropeScope.string(["rope_type", "type"])
            ropeScalingFactor = ropeScope.double(["factor"])?.value
            if let orig = ropeScope.positiveInt(["original_max_position_embeddings"]) {
                originalContextLength = orig.value
            }
            lm.notes.append(contentsOf: ropeScope.notes)
        }
        if originalContextLength == nil, let orig = lm.positiveInt(["original_max_position_embeddings"]) {
            originalContextLength = orig.value
        }
        // A scaled rope extends the original window; it wins only when it exceeds the stated limit.
        if let orig = originalContextLength, let factor = ropeScalingFactor, factor > 1, factor < 1e6 {
            let scaled = (Double(orig) * factor).rounded(.down)
            if scaled < 1e15, Int(scaled) > (contextLength ?? 0) {
                contextLength = Int(scaled)
                contextLengthSource = "original_max_position_embeddings × rope_scaling.factor"
            }
        }
        if contextLength == nil {
            missing.append("max_position_embeddings")
            if ["t5", "mt5", "umt5", "byt5"].contains(modelType ?? "") {
                notes.append("T5-style models use relative positions and state no context length.")
            }
        }
    }

    private mutating func parseAttentionWindow(_ lm: inout ConfigScope) {
        if let window = lm.positiveInt(["sliding_window", "attention_window"]) {
            if lm.bool(["use_sliding_window"]) == false {
                notes.append("`sliding_window` (\(window.value)) is ignored because `use_sliding_window` is false.")
            } else {
                slidingWindow = window.value
            }
        }
        if let types = lm.array("layer_types") {
            layerTypes = Array(types.prefix(100_000).compactMap(\.stringValue))
        }
        slidingWindowPattern = lm.positiveInt(["sliding_window_pattern"])?.value
    }

    private mutating func parseExperts(_ lm: inout ConfigScope) {
        numExperts = lm.positiveInt(["num_local_experts", "num_experts", "n_routed_experts", "moe_num_experts"],
                                    allowZero: true)?.value
        numExpertsPerToken = lm.positiveInt(["num_experts_per_tok", "num_experts_per_token", "moe_top_k"])?.value
        moeIntermediateSize = lm.positiveInt(["moe_intermediate_size"])?.value
        numSharedExperts = lm.positiveInt(["n_shared_experts", "num_shared_experts"], allowZero: true)?.value
        sharedExpertIntermediateSize = lm.positiveInt(["shared_expert_intermediate_size"])?.value
        firstDenseLayers = lm.positiveInt(["first_k_dense_replace"], allowZero: true)?.value
        moeLayerFrequency = lm.positiveInt(["decoder_sparse_step", "moe_layer_freq"])?.value
        if let layers = lm.array("mlp_only_layers") {
            mlpOnlyLayers = layers.prefix(100_000).compactMap(\.intValue)
        }
        kvLoraRank = lm.positiveInt(["kv_lora_rank"])?.value
        qLoraRank = lm.positiveInt(["q_lora_rank"])?.value
        qkRopeHeadDim = lm.positiveInt(["qk_rope_head_dim"])?.value
        qkNopeHeadDim = lm.positiveInt(["qk_nope_head_dim"])?.value
        vHeadDim = lm.positiveInt(["v_head_dim"])?.value
    }

    private mutating func parseEncoderDecoder(_ lm: inout ConfigScope) {
        let encDecTypes: Set<String> = ["t5", "mt5", "umt5", "bart", "mbart", "marian", "pegasus", "m2m_100", "nllb-moe"]
        isEncoderDecoder = lm.bool(["is_encoder_decoder"]) ?? encDecTypes.contains(modelType ?? "")
        guard isEncoderDecoder else { return }
        if let dec = lm.positiveInt(["num_decoder_layers", "decoder_layers"]) {
            numDecoderLayers = dec.value
        } else if let enc = numLayers {
            numDecoderLayers = enc
            notes.append("No decoder layer count is stated: assumed as many decoder layers as encoder layers (\(enc)).")
        }
    }

    private static func parseQuantization(_ scope: inout ConfigScope) -> QuantizationConfig? {
        guard let (q, key) = scope.object("quantization_config") else { return nil }
        var qs = ConfigScope(layers: [.init(prefix: key + ".", object: q)])
        let load4 = qs.bool(["load_in_4bit"])
        let load8 = qs.bool(["load_in_8bit"])
        let method = qs.string(["quant_method"]) ?? ((load4 == true || load8 == true) ? "bitsandbytes" : "unknown")
        var bits = qs.positiveInt(["bits", "w_bit", "num_bits"])?.value
        if bits == nil, load4 == true { bits = 4 }
        if bits == nil, load8 == true { bits = 8 }
        var modules: [String] = []
        for k in ["modules_to_not_convert", "ignore", "llm_int8_skip_modules", "modules_to_not_quantize"] {
            if let list = qs.array(k) { modules += list.prefix(10_000).compactMap(\.stringValue) }
        }
        let config = QuantizationConfig(method: method, bits: bits,
                                        groupSize: qs.positiveInt(["group_size", "q_group_size"])?.value ?? q["group_size"]?.intValue,
                                        bnb4bitQuantType: qs.string(["bnb_4bit_quant_type"]),
                                        bnb4bitDoubleQuant: qs.bool(["bnb_4bit_use_double_quant"]),
                                        loadIn4bit: load4, loadIn8bit: load8, modulesNotConverted: modules)
        scope.notes.append(contentsOf: qs.notes)
        return config
    }

    private static func parseVision(_ scope: inout ConfigScope, parentModelType: String?) -> VisionConfig? {
        // A bare vision encoder (Pixtral) keeps its tower's keys at the top level.
        let standalone = parentModelType == "pixtral" ? scope.layers.first.map { ($0.object, "") } : nil
        guard let (v, key) = scope.object("vision_config") ?? standalone else { return nil }
        var vs = ConfigScope(layers: [.init(prefix: key.isEmpty ? "" : key + ".", object: v)])
        var vision = VisionConfig()
        vision.modelType = vs.string(["model_type"]) ?? parentModelType
        // Qwen-VL vision configs call the tower width `embed_dim` and the output width `hidden_size`.
        if let embed = vs.positiveInt(["embed_dim"]) {
            vision.hiddenSize = embed.value
            vision.outHiddenSize = vs.positiveInt(["out_hidden_size", "hidden_size"])?.value
            if let ratio = vs.double(["mlp_ratio"])?.value, ratio > 0, ratio < 1000 {
                vision.intermediateSize = Int((Double(embed.value) * ratio).rounded())
            }
        } else {
            vision.hiddenSize = vs.positiveInt(["hidden_size", "width"])?.value
            vision.outHiddenSize = vs.positiveInt(["out_hidden_size"])?.value
        }
        if vision.intermediateSize == nil { vision.intermediateSize = vs.positiveInt(["intermediate_size"])?.value }
        vision.numLayers = vs.positiveInt(["num_hidden_layers", "depth", "layers"])?.value
        vision.numAttentionHeads = vs.positiveInt(["num_attention_heads", "num_heads"])?.value
        vision.patchSize = vs.positiveInt(["patch_size"])?.value
        vision.imageSize = vs.positiveInt(["image_size"])?.value
        vision.numChannels = vs.positiveInt(["num_channels", "in_chans", "in_channels"])?.value
        vision.temporalPatchSize = vs.positiveInt(["temporal_patch_size"])?.value
        vision.spatialMergeSize = vs.positiveInt(["spatial_merge_size"])?.value
        vision.numPositionEmbeddings = vs.positiveInt(["num_position_embeddings"])?.value
        vision.deepstackLayerCount = vs.array("deepstack_visual_indexes")?.count
        scope.notes.append(contentsOf: vs.notes)
        return vision
    }

    /// Qwen2-Audio's `audio_config`, or Whisper's encoder keys at the top level.
    private static func parseAudio(_ scope: inout ConfigScope, parentModelType: String?) -> AudioConfig? {
        let standalone = parentModelType == "whisper" ? scope.layers.first.map { ($0.object, "") } : nil
        // Only Whisper-style encoders (stating `d_model`) are modelled; others stay listed as uncounted.
        guard let (a, key) = scope.object("audio_config") ?? standalone, a["d_model"] != nil else { return nil }
        var s = ConfigScope(layers: [.init(prefix: key.isEmpty ? "" : key + ".", object: a)])
        let audio = AudioConfig(modelType: s.string(["model_type"]), hiddenSize: s.positiveInt(["d_model"])?.value,
                                numLayers: s.positiveInt(["encoder_layers"])?.value,
                                intermediateSize: s.positiveInt(["encoder_ffn_dim"])?.value,
                                numMelBins: s.positiveInt(["num_mel_bins"])?.value,
                                maxSourcePositions: s.positiveInt(["max_source_positions"])?.value,
                                maxTargetPositions: s.positiveInt(["max_target_positions"])?.value,
                                decoderIntermediateSize: s.positiveInt(["decoder_ffn_dim"])?.value)
        scope.notes.append(contentsOf: s.notes)
        return audio
    }

    private static func shortDescription(of error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
