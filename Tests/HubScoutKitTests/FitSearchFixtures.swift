import Foundation
import HubScoutCore
import HubScoutServer
import HubScoutTestSupport

/// Real config.json files (copied from the models' repos) and Hub parameter counts, served as small repos so that
/// `search --fits` can size them. Weights are tiny stand-ins: with `readHeaders: false` only configs are read.
enum FitSearchFixtures {
    /// One repo to add: id, config.json text, and the Hub's safetensors parameter count (nil: not stated).
    struct Model {
        var id: String
        var config: String
        var parameters: Int64?
        var downloads: Int
    }

    /// `llama-3.1-8b` config.json.
    static let llama31_8BConfig = #"{"architectures":["LlamaForCausalLM"],"model_type":"llama","hidden_act":"silu","rms_norm_eps":1e-05,"bos_token_id":128000,"eos_token_id":128001,"initializer_range":0.02,"pretraining_tp":1,"use_cache":true,"attention_bias":false,"torch_dtype":"bfloat16","attention_dropout":0.0,"hidden_size":4096,"intermediate_size":14336,"max_position_embeddings":131072,"mlp_bias":false,"num_attention_heads":32,"num_hidden_layers":32,"num_key_value_heads":8,"rope_scaling":{"factor":8.0,"low_freq_factor":1.0,"high_freq_factor":4.0,"original_max_position_embeddings":8192,"rope_type":"llama3"},"rope_theta":500000.0,"tie_word_embeddings":false,"vocab_size":128256,"transformers_version":"4.43.0.dev0"}"#
    /// `qwen2.5-0.5b` config.json.
    static let qwen25_05BConfig = #"{"architectures":["Qwen2ForCausalLM"],"attention_dropout":0.0,"bos_token_id":151643,"eos_token_id":151643,"hidden_act":"silu","initializer_range":0.02,"model_type":"qwen2","rms_norm_eps":1e-06,"torch_dtype":"bfloat16","use_cache":true,"use_sliding_window":false,"hidden_size":896,"intermediate_size":4864,"max_position_embeddings":32768,"max_window_layers":24,"num_attention_heads":14,"num_hidden_layers":24,"num_key_value_heads":2,"rope_theta":1000000.0,"sliding_window":32768,"tie_word_embeddings":true,"vocab_size":151936,"transformers_version":"4.40.1"}"#
    /// `mixtral-8x7b` config.json.
    static let mixtral8x7BConfig = #"{"architectures":["MixtralForCausalLM"],"attention_dropout":0.0,"bos_token_id":1,"eos_token_id":2,"hidden_act":"silu","hidden_size":4096,"initializer_range":0.02,"intermediate_size":14336,"max_position_embeddings":32768,"model_type":"mixtral","num_attention_heads":32,"num_experts_per_tok":2,"num_hidden_layers":32,"num_key_value_heads":8,"num_local_experts":8,"output_router_logits":false,"rms_norm_eps":1e-05,"rope_theta":1000000.0,"router_aux_loss_coef":0.02,"sliding_window":null,"tie_word_embeddings":false,"torch_dtype":"bfloat16","transformers_version":"4.36.0.dev0","use_cache":true,"vocab_size":32000}"#
    /// `llama-3.1-70b` config.json.
    static let llama31_70BConfig = #"{"architectures":["LlamaForCausalLM"],"model_type":"llama","hidden_act":"silu","rms_norm_eps":1e-05,"bos_token_id":128000,"eos_token_id":128001,"initializer_range":0.02,"pretraining_tp":1,"use_cache":true,"attention_bias":false,"torch_dtype":"bfloat16","hidden_size":8192,"intermediate_size":28672,"max_position_embeddings":131072,"mlp_bias":false,"num_attention_heads":64,"num_hidden_layers":80,"num_key_value_heads":8,"rope_scaling":{"factor":8.0,"low_freq_factor":1.0,"high_freq_factor":4.0,"original_max_position_embeddings":8192,"rope_type":"llama3"},"rope_theta":500000.0,"tie_word_embeddings":false,"vocab_size":128256}"#

    /// Llama-3.1-8B: 8,030,261,248 BF16 parameters (Hub API).
    static let llama8B = Model(id: "hubscout-fit/Llama-3.1-8B", config: llama31_8BConfig, parameters: 8_030_261_248, downloads: 9_000_000)
    /// Qwen2.5-0.5B: 494,032,768 BF16 parameters, tied embeddings.
    static let qwen05B = Model(id: "hubscout-fit/Qwen2.5-0.5B", config: qwen25_05BConfig, parameters: 494_032_768, downloads: 10_000_000)
    /// Mixtral-8x7B with no API count, so it is inspected and sized from its config formula (~46.7B).
    static let mixtral = Model(id: "hubscout-fit/Mixtral-8x7B-v0.1", config: mixtral8x7BConfig, parameters: nil, downloads: 8_000_000)
    /// Llama-3.1-70B: 70,553,706,496 BF16 parameters; dropped from the count alone at 16 GB.
    static let llama70B = Model(id: "hubscout-fit/Llama-3.1-70B", config: llama31_70BConfig, parameters: 70_553_706_496, downloads: 7_000_000)

    static let all = [llama8B, qwen05B, mixtral, llama70B]

    /// Adds the models to `cache` as text-generation transformers repos.
    static func add(to cache: FixtureCache, models: [Model] = all) throws {
        for (index, model) in models.enumerated() {
            try cache.addRepo(model.id, commits: [[
                .readme(frontMatter: "license: apache-2.0\npipeline_tag: text-generation\nlibrary_name: transformers"),
                FixtureFile("config.json", text: model.config),
                FixtureFile("model.safetensors", generatedSize: 4096, seed: UInt64(index + 1)),
            ]], facts: RepoFacts(downloads: model.downloads, likes: 10,
                                 safetensors: model.parameters.map { SafetensorsSummary(parameters: ["BF16": $0], total: $0) }))
        }
    }
}
