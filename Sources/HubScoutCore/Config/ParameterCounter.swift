/// Counts parameters from a normalised config, per family: dense decoders (MHA/GQA/MQA), MoE (total and active),
/// MLA attention, GPT-2 and BERT style encoders with biases, T5 and BART encoder-decoders, and vision towers; and
/// families with their own layout, read from their own keys (`FamilyKeys`): Llama 4, Gemma 4, Mllama, DeepSeek-V4,
/// the hybrid Qwen3-Next/Qwen3.5 and Nemotron-H stacks, CLIP, ViT, ALBERT, DistilBERT, TAPAS, ViLT and Wav2Vec2.
/// Formulas follow memory-estimation.md §4; anything assumed is stated in the estimate's notes.
public enum ParameterCounter {
    /// Most layers any formula accepts; more means a corrupt or hostile config.
    static let maxLayers = 100_000

    /// Estimates the parameters of the model `config` describes.
    public static func estimate(_ config: ModelConfig) throws(ParameterCountError) -> ParameterEstimate {
        let family = config.textModelType ?? config.modelType ?? ""
        var result: ParameterEstimate
        if config.modelType == "pixtral", let vision = config.vision {
            // A bare Pixtral vision encoder: the tower is the whole model.
            let tower = try VisionFormula.estimate(vision, parentModelType: "pixtral", textHidden: nil)
            var b = ParameterBreakdown()
            b.vision = tower.parameters
            result = ParameterEstimate(breakdown: b, layout: "vision encoder (Pixtral)", isMoE: false, notes: tower.notes)
            result.notes += config.notes.filter { $0.hasPrefix("Estimated from defaults") }
            return result
        }
        if family == "whisper", let audio = config.audio {
            result = try AudioFormula.whisper(config, audio: audio)
            result.notes += config.notes.filter { $0.hasPrefix("Estimated from defaults") }
            return result
        }
        if let (estimate, whole) = try familyEstimate(config, family: family) {
            result = estimate
            if whole {
                // The family formula counted every tower itself.
                result.notes += config.notes.filter { $0.hasPrefix("Estimated from defaults") || $0.hasPrefix("`model_type` is not stated") }
                return result
            }
        } else if ClassicDecoderFormula.families.contains(family) {
            result = try ClassicDecoderFormula.estimate(config, family: family)
        } else if ["gpt2", "gpt_bigcode"].contains(family) {
            result = try GPT2Formula.estimate(config)
        } else if ["bert", "roberta", "xlm-roberta", "camembert"].contains(family) {
            result = try BERTFormula.estimate(config)
        } else if ["t5", "mt5", "umt5"].contains(family) {
            result = try T5Formula.estimate(config)
        } else if ["bart", "mbart"].contains(family) {
            result = try BARTFormula.estimate(config)
        } else {
            result = try DecoderFormula.estimate(config, family: family)
        }
        if let vision = config.vision {
            let tower = try VisionFormula.estimate(vision, parentModelType: config.modelType, textHidden: config.hiddenSize)
            result.breakdown.vision = tower.parameters
            result.notes += tower.notes
        }
        if let audio = config.audio {
            // Qwen2-Audio: the encoder, then one biased linear into the language model.
            var tower = try AudioFormula.encoder(audio)
            if let d = audio.hiddenSize, let ht = config.hiddenSize {
                tower = try ParamMath.sum(tower, try ParamMath.mul(d, ht, what: "projector"), Int64(ht), what: "projector")
            }
            result.breakdown.vision = try ParamMath.sum(result.breakdown.vision, tower, what: "audio")
        }
        // Say where class defaults stood in for keys the file left out.
        result.notes += config.notes.filter { $0.hasPrefix("Estimated from defaults") || $0.hasPrefix("`model_type` is not stated") }
        return result
    }

    /// Families whose formula reads their own keys (`ModelConfig.familyJSON`): the estimate, and whether it already
    /// covers the whole model (towers included) or the generic vision/audio towers are still to be added.
    private static func familyEstimate(_ config: ModelConfig, family: String) throws(ParameterCountError)
        -> (ParameterEstimate, whole: Bool)? {
        guard config.familyJSON != nil else { return nil }
        switch config.modelType ?? "" {
        case "distilbert": return (try BERTVariantFormulas.distilBERT(config), true)
        case "albert": return (try BERTVariantFormulas.albert(config), true)
        case "vit": return (try ViTFormula.estimate(config), true)
        case "clip": return (try CLIPFormula.estimate(config), true)
        case "llama4": return (try Llama4Formula.estimate(config), true)
        case "gemma4", "gemma4_text": return (try Gemma4Formula.estimate(config), true)
        case "nemotron_h": return (try NemotronHFormula.estimate(config), true)
        case "mllama": return (try MllamaFormula.estimate(config), true)
        case "deepseek_v4": return (try DeepseekV4Formula.estimate(config), true)
        case "tapas": return (try BERTVariantFormulas.tapas(config), true)
        case "vilt": return (try BERTVariantFormulas.vilt(config), true)
        case "wav2vec2": return (try Wav2Vec2Formula.estimate(config), true)
        default: break
        }
        if HybridLinearAttentionFormula.families.contains(family) {
            return (try HybridLinearAttentionFormula.estimate(config), false)
        }
        return nil
    }

    /// Requires every value, reporting the config keys of those that are nil.
    static func require(_ values: [(Int?, String)], modelType: String?) throws(ParameterCountError) -> [Int] {
        let missing = values.filter { $0.0 == nil }.map(\.1)
        guard missing.isEmpty else { throw .missingValues(missing, modelType: modelType) }
        return values.map { $0.0 ?? 0 }
    }
}

extension ParameterCount {
    /// The most trusted count available: tensor headers (exact) > the API's safetensors block > the config formula.
    /// For MoE models the formula's inactive-expert share is subtracted from a header/API total to give `active`.
    public static func best(headerTotal: Int64?, hubAPI: SafetensorsSummary?, formula: ParameterEstimate?) -> ParameterCount? {
        let inactive = formula.flatMap { f in
            f.isMoE ? f.breakdown.routedExperts - f.breakdown.activeRoutedExperts : nil
        }
        func withActive(_ total: Int64, _ source: ParameterSource) -> ParameterCount {
            guard let inactive, inactive < total else { return ParameterCount(total: total, source: source) }
            return ParameterCount(total: total, active: total - inactive, source: source)
        }
        if let total = headerTotal, total > 0 { return withActive(total, .tensorHeaders) }
        if let api = hubAPI, api.total > 0 { return withActive(api.total, .hubAPI) }
        return formula?.count
    }
}
