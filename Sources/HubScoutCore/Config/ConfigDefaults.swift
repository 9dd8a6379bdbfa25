import Foundation

/// Class defaults of transformers config classes. transformers reads a config.json by starting from the config
/// class's defaults, so a key the file leaves out takes that default; `complete(_:)` does the same before parsing
/// so that counts match what transformers builds. Every value filled in is reported, never silent.
enum ConfigDefaults {
    /// The decoded table: model_type → {"keys": signature defaults, "sub": default sub-configs}.
    static let table: [String: [String: JSONValue]] = {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(ConfigDefaultsTable.json.utf8)),
              let object = value.objectValue else { return [:] }
        return object.compactMapValues(\.objectValue)
    }()

    /// Sub-config keys whose absence means "use the class's default sub-model".
    static let subConfigKeys = ["text_config", "vision_config", "audio_config"]

    /// Keys whose defaults change the model's shape; filling one of these lands in `ModelConfig.defaultedKeys`.
    static let shapeKeys: Set<String> = [
        "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size",
        "vocab_size", "head_dim", "moe_intermediate_size", "num_local_experts", "num_experts", "n_routed_experts",
        "num_experts_per_tok", "n_shared_experts", "shared_expert_intermediate_size", "kv_lora_rank", "q_lora_rank",
        "qk_rope_head_dim", "qk_nope_head_dim", "v_head_dim", "d_model", "d_ff", "num_layers", "num_heads", "d_kv",
        "encoder_layers", "decoder_layers", "encoder_ffn_dim", "decoder_ffn_dim", "n_embd", "n_layer", "n_head",
        "first_k_dense_replace", "decoder_sparse_step", "moe_layer_freq", "text_config", "vision_config", "audio_config",
    ]

    /// Signature defaults of `modelType`'s config class.
    static func keys(_ modelType: String) -> [String: JSONValue] {
        table[modelType]?["keys"]?.objectValue ?? [:]
    }

    /// The sub-configs a default instance of `modelType`'s class builds (each with its `model_type`).
    static func subConfigs(_ modelType: String) -> [String: JSONValue] {
        table[modelType]?["sub"]?.objectValue ?? [:]
    }

    /// The model_type whose class `architecture` (e.g. `Qwen2VLForConditionalGeneration`) belongs to, when the
    /// table knows it: the class name less its head suffix, compared without case or separators.
    static func modelType(forArchitecture architecture: String) -> String? {
        let suffixes = ["ForConditionalGeneration", "ForCausalLM", "ForMaskedLM", "ForSequenceClassification",
                        "LMHeadModel", "WithLMHead", "ForPreTraining", "ForCTC", "ForImageClassification", "Model"]
        var stem = architecture
        for suffix in suffixes where stem.hasSuffix(suffix) {
            stem = String(stem.dropLast(suffix.count))
            break
        }
        func squash(_ s: String) -> String { s.lowercased().filter { $0.isLetter || $0.isNumber } }
        let target = squash(stem)
        guard !target.isEmpty else { return nil }
        return table.keys.sorted().first { squash($0) == target }
    }

    /// The config with every key it leaves out filled from the class defaults, as transformers reads it.
    /// Returns the filled config, the qualified keys that were filled, and the model_type when it was inferred.
    static func complete(_ top: [String: JSONValue]) -> (json: [String: JSONValue], filled: [String], inferred: String?) {
        var json = top
        var filled: [String] = []
        var inferred: String?
        var type = top["model_type"]?.stringValue
        if type == nil, let arch = top["architectures"]?.arrayValue?.first?.stringValue,
           let guess = modelType(forArchitecture: arch) {
            type = guess
            inferred = guess
            json["model_type"] = .string(guess)
        }
        guard let type, table[type] != nil else { return (json, [], inferred) }
        fill(&json, from: keys(type), prefix: "", filled: &filled)
        for (key, value) in subConfigs(type) where subConfigKeys.contains(key) {
            guard let defaultSub = value.objectValue else { continue }
            if var present = json[key]?.objectValue {
                // A partial sub-config takes the defaults of its own class.
                let subType = present["model_type"]?.stringValue ?? defaultSub["model_type"]?.stringValue ?? ""
                var defaults = Self.keys(subType)
                if defaults.isEmpty { defaults = defaultSub }
                if top["tie_word_embeddings"] != nil { defaults["tie_word_embeddings"] = nil }
                fill(&present, from: defaults, prefix: key + ".", filled: &filled)
                json[key] = .object(present)
            } else if key == "text_config", top["hidden_size"] != nil || top["num_hidden_layers"] != nil {
                // A flat config (language keys at the top level) builds its text config from those keys.
                let subType = defaultSub["model_type"]?.stringValue ?? ""
                var defaults = Self.keys(subType)
                if defaults.isEmpty { defaults = defaultSub }
                defaults["model_type"] = nil
                if top["tie_word_embeddings"] != nil { defaults["tie_word_embeddings"] = nil }
                fill(&json, from: defaults, prefix: "", filled: &filled)
            } else if json[key] == nil || json[key] == .null {
                json[key] = value
                filled.append(key)
            }
        }
        return (json, filled, inferred)
    }

    private static func fill(_ object: inout [String: JSONValue], from defaults: [String: JSONValue], prefix: String,
                             filled: inout [String]) {
        // An explicit null stays: transformers keeps None (DeepSeek-V2-Lite's `q_lora_rank: null` means no compression).
        for (key, value) in defaults.sorted(by: { $0.key < $1.key }) where object[key] == nil {
            object[key] = value
            filled.append(prefix + key)
        }
    }

    /// Whether lm_head shares the embedding matrix when `tie_word_embeddings` is absent, per `model_type`.
    /// transformers' base default is true; these families override it in their config classes.
    static func tiedEmbeddings(modelType: String?) -> (value: Bool, reason: String) {
        guard let type = modelType else { return (true, "transformers' default (true) for configs without a model_type") }
        if let tied = keys(type)["tie_word_embeddings"]?.boolValue {
            return (tied, "the \(type) config class default (\(tied))")
        }
        let untied: Set<String> = ["llama", "mistral", "mixtral", "qwen2", "qwen2_moe", "qwen3", "qwen3_moe", "phi3",
                                   "phimoe", "deepseek_v2", "deepseek_v3", "olmoe", "olmo2", "qwen2_vl", "qwen2_5_vl",
                                   "llava", "cohere", "starcoder2", "granite", "internlm2", "exaone"]
        if untied.contains(type) { return (false, "the \(type) config class default (false)") }
        return (true, "the \(type) config class default (true)")
    }
}
