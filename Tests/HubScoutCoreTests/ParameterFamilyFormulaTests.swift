import Foundation
import Testing
@testable import HubScoutCore

/// Family formulas that read their own keys (`ModelConfig.familyJSON`): untrusted sizes and layer interleaving.
@Suite("Parameter family formulas")
struct ParameterFamilyFormulaTests {
    @Test("An implausibly large family size is a typed error, not an overflow trap")
    func hugeSizeRejected() throws {
        for type in ["llama4", "gemma4", "qwen3_next", "nemotron_h", "deepseek_v4", "mllama", "clip", "vit", "albert",
                     "distilbert", "tapas", "vilt", "wav2vec2"] {
            var json: [String: JSONValue] = ["model_type": .string(type)]
            for key in ["hidden_size", "dim", "num_attention_heads", "head_dim", "intermediate_size", "vocab_size"] {
                json[key] = .int(Int.max / 2)
            }
            if type == "llama4" || type == "gemma4" || type == "mllama" || type == "clip" {
                json["text_config"] = .object(["hidden_size": .int(Int.max / 2), "vocab_size": .int(Int.max / 2)])
            }
            let config = ModelConfig(json: json)
            #expect(throws: ParameterCountError.self, "\(type)") { try ParameterCounter.estimate(config) }
        }
    }

    @Test("Llama 4 interleaves dense and MoE layers by interleave_moe_layer_step")
    func llama4Interleave() throws {
        let text: [String: JSONValue] = [
            "hidden_size": .int(64), "num_hidden_layers": .int(4), "num_attention_heads": .int(4), "num_key_value_heads": .int(2),
            "head_dim": .int(16), "vocab_size": .int(100), "intermediate_size": .int(32), "intermediate_size_mlp": .int(128),
            "num_local_experts": .int(4), "num_experts_per_tok": .int(1), "interleave_moe_layer_step": .int(2),
        ]
        let config = ModelConfig(json: ["model_type": .string("llama4"), "text_config": .object(text),
                                        "tie_word_embeddings": .bool(false)])
        let b = try ParameterCounter.estimate(config).breakdown
        // Layers 1 and 3 route (step 2 counts from index step − 1); layers 0 and 2 keep the wide dense MLP.
        #expect(b.denseMLP == 2 * 3 * 64 * 128)
        #expect(b.routedExperts == 2 * 4 * 3 * 64 * 32)
        #expect(b.sharedExpertsAndRouters == 2 * (4 * 64 + 3 * 64 * 32))
        #expect(b.activeRoutedExperts == 2 * 3 * 64 * 32)
    }
}
