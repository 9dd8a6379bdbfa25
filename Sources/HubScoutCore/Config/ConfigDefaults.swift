/// Class defaults of transformers config classes, used only where a config stores just its non-default keys
/// (llava-hf's `text_config` has no `hidden_size`). Every use is noted in `ModelConfig.notes`.
enum ConfigDefaults {
    /// Defaults per `model_type`: key → value, as in the transformers `…Config.__init__` signatures.
    static let byModelType: [String: [String: Int]] = [
        // LlamaConfig
        "llama": ["vocab_size": 32000, "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32,
                  "num_attention_heads": 32, "max_position_embeddings": 2048],
        // Gemma3TextConfig (Gemma 3 configs leave vocab_size and max_position_embeddings to it)
        "gemma3_text": ["vocab_size": 262208, "max_position_embeddings": 131072],
        // MistralConfig
        "mistral": ["vocab_size": 32000, "hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32,
                    "num_attention_heads": 32, "num_key_value_heads": 8, "max_position_embeddings": 131072],
    ]

    /// Whether lm_head shares the embedding matrix when `tie_word_embeddings` is absent, per `model_type`.
    /// transformers' base default is true; these families override it in their config classes.
    static func tiedEmbeddings(modelType: String?) -> (value: Bool, reason: String) {
        let untied: Set<String> = ["llama", "mistral", "mixtral", "qwen2", "qwen2_moe", "qwen3", "qwen3_moe", "phi3",
                                   "phimoe", "deepseek_v2", "deepseek_v3", "olmoe", "olmo2", "qwen2_vl", "qwen2_5_vl",
                                   "llava", "cohere", "starcoder2", "granite", "internlm2", "exaone"]
        guard let type = modelType else { return (true, "transformers' default (true) for configs without a model_type") }
        if untied.contains(type) { return (false, "the \(type) config class default (false)") }
        return (true, "the \(type) config class default (true)")
    }
}
