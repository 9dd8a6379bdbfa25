import Foundation
import Testing
@testable import HubScoutCore

@Suite("config.json normalisation")
struct ConfigParsingTests {
    @Test("Llama 3.1 keeps max_position_embeddings over rope scaling and records the rope parameters")
    func llama31Context() throws {
        let c = try ConfigFixtures.config("llama-3.1-8b")
        #expect(c.modelType == "llama")
        #expect(c.architecture == "LlamaForCausalLM")
        #expect(c.hiddenSize == 4096 && c.numLayers == 32 && c.numAttentionHeads == 32 && c.numKeyValueHeads == 8)
        #expect(c.intermediateSize == 14336 && c.vocabSize == 128256)
        #expect(c.tieWordEmbeddings == false)
        #expect(c.dtype == "bfloat16")
        #expect(c.contextLength == 131072)
        #expect(c.contextLengthSource == "max_position_embeddings")
        #expect(c.ropeScalingType == "llama3" && c.ropeScalingFactor == 8 && c.originalContextLength == 8192)
    }

    @Test("Scaled rope wins when original × factor exceeds the stated limit")
    func ropeWins() throws {
        let c = try ConfigFixtures.config(json: """
        {"model_type":"llama","max_position_embeddings":4096,"rope_scaling":{"type":"yarn","factor":4.0,"original_max_position_embeddings":4096}}
        """)
        #expect(c.contextLength == 16384)
        #expect(c.contextLengthSource == "original_max_position_embeddings × rope_scaling.factor")
        #expect(c.maxPositionEmbeddings == 4096)
    }

    @Test("Qwen2's sliding window is ignored when use_sliding_window is false, and tying is read")
    func qwenSlidingWindowOff() throws {
        let c = try ConfigFixtures.config("qwen2.5-0.5b")
        #expect(c.slidingWindow == nil)
        #expect(c.notes.contains { $0.contains("use_sliding_window") })
        #expect(c.tieWordEmbeddings == true)
        #expect(c.numKeyValueHeads == 2)
    }

    @Test("Mistral's sliding window is kept")
    func mistralWindow() throws {
        let c = try ConfigFixtures.config("mistral-7b-v0.1")
        #expect(c.slidingWindow == 4096)
        #expect(c.contextLength == 32768)
    }

    @Test("GPT-2 reads n_embd/n_layer/n_positions and derives n_inner as 4 × n_embd, saying so")
    func gpt2Aliases() throws {
        let c = try ConfigFixtures.config("gpt2")
        #expect(c.hiddenSize == 768 && c.numLayers == 12 && c.numAttentionHeads == 12)
        #expect(c.intermediateSize == 3072)
        #expect(c.notes.contains { $0.contains("n_inner") })
        #expect(c.contextLength == 1024 && c.contextLengthSource == "n_positions")
        #expect(c.numKeyValueHeads == 12)
        #expect(c.tieWordEmbeddings == true)
        #expect(c.notes.contains { $0.contains("tie_word_embeddings") })
    }

    @Test("Gemma 3 reads its language model from text_config and fills class defaults with a note")
    func gemma3TextConfig() throws {
        let c = try ConfigFixtures.config("gemma-3-4b")
        #expect(c.modelType == "gemma3" && c.textModelType == "gemma3_text")
        #expect(c.hiddenSize == 2560 && c.numLayers == 34 && c.headDim == 256 && c.numKeyValueHeads == 4)
        #expect(c.vocabSize == 262208)
        #expect(c.notes.contains { $0.contains("vocab_size") && $0.contains("default") })
        #expect(c.contextLength == 131072)
        #expect(c.slidingWindow == 1024)
        #expect(c.vision?.hiddenSize == 1152 && c.vision?.numLayers == 27 && c.vision?.modelType == "siglip_vision_model")
    }

    @Test("LLaVA's text_config without hidden_size falls back to LlamaConfig defaults, noted")
    func llavaDefaults() throws {
        let c = try ConfigFixtures.config("llava-1.5-7b")
        #expect(c.textModelType == "llama")
        #expect(c.hiddenSize == 4096 && c.numLayers == 32 && c.intermediateSize == 11008)
        #expect(c.vocabSize == 32064)
        #expect(c.contextLength == 4096 && c.contextLengthSource == "text_config.max_position_embeddings")
        #expect(c.notes.contains { $0.contains("hidden_size") })
        #expect(c.vision?.imageSize == 336 && c.vision?.patchSize == 14)
    }

    @Test("Qwen2-VL's vision config maps embed_dim/depth/mlp_ratio and keeps hidden_size as the output width")
    func qwen2VLVision() throws {
        let c = try ConfigFixtures.config("qwen2-vl-7b")
        let v = try #require(c.vision)
        #expect(v.hiddenSize == 1280 && v.numLayers == 32 && v.intermediateSize == 5120 && v.outHiddenSize == 3584)
        #expect(v.numChannels == 3 && v.temporalPatchSize == 2 && v.spatialMergeSize == 2)
        #expect(c.hiddenSize == 3584)
    }

    @Test("T5 is an encoder-decoder with d_kv as head_dim")
    func t5() throws {
        let c = try ConfigFixtures.config("t5-small")
        #expect(c.isEncoderDecoder)
        #expect(c.numLayers == 6 && c.numDecoderLayers == 6)
        #expect(c.headDim == 64 && c.hiddenSize == 512 && c.intermediateSize == 2048)
    }

    @Test("BART reads encoder_layers/decoder_layers and ffn_dim")
    func bart() throws {
        let c = try ConfigFixtures.config("bart-base")
        #expect(c.isEncoderDecoder && c.numDecoderLayers == 6 && c.intermediateSize == 3072 && c.hiddenSize == 768)
    }

    @Test("DeepSeek-V3 reads MLA, MoE and FP8 quantization keys")
    func deepseekV3() throws {
        let c = try ConfigFixtures.config("deepseek-v3")
        #expect(c.kvLoraRank == 512 && c.qLoraRank == 1536 && c.qkRopeHeadDim == 64 && c.qkNopeHeadDim == 128 && c.vHeadDim == 128)
        #expect(c.numExperts == 256 && c.numExpertsPerToken == 8 && c.numSharedExperts == 1 && c.firstDenseLayers == 3)
        #expect(c.moeIntermediateSize == 2048 && c.moeLayerFrequency == 1 && c.isMoE)
        #expect(c.quantization?.method == "fp8")
        #expect(c.contextLength == 163840 && c.contextLengthSource == "max_position_embeddings")
        #expect(c.ropeScalingFactor == 40 && c.originalContextLength == 4096)
    }

    @Test("DeepSeek-V2-Lite's null q_lora_rank is treated as absent")
    func deepseekV2Lite() throws {
        let c = try ConfigFixtures.config("deepseek-v2-lite")
        #expect(c.qLoraRank == nil && c.kvLoraRank == 512 && c.numExperts == 64)
    }

    @Test("Qwen-MoE reads shared expert size and sparse step")
    func qwenMoE() throws {
        let c = try ConfigFixtures.config("qwen1.5-moe-a2.7b")
        #expect(c.numExperts == 60 && c.numExpertsPerToken == 4 && c.sharedExpertIntermediateSize == 5632)
        #expect(c.moeLayerFrequency == 1 && c.moeIntermediateSize == 1408)
    }

    @Test("Legacy KV keys: multi_query means one head, n_head_kv and num_kv_heads are read")
    func kvAliases() throws {
        let mq = try ConfigFixtures.config(json: #"{"model_type":"gpt_bigcode","n_embd":2048,"n_head":16,"multi_query":true}"#)
        #expect(mq.numKeyValueHeads == 1)
        let falcon = try ConfigFixtures.config(json: #"{"model_type":"falcon","hidden_size":4544,"num_attention_heads":71,"num_kv_heads":1}"#)
        #expect(falcon.numKeyValueHeads == 1)
        let phi = try ConfigFixtures.config(json: #"{"n_embd":2560,"n_head":32,"n_head_kv":8}"#)
        #expect(phi.numKeyValueHeads == 8)
    }

    @Test("Quantization configs: bitsandbytes 4-bit implies 4 bits; GPTQ keeps group size; ignore lists are read")
    func quantization() throws {
        let bnb = try ConfigFixtures.config(json: """
        {"model_type":"llama","quantization_config":{"load_in_4bit":true,"bnb_4bit_quant_type":"nf4","bnb_4bit_use_double_quant":true,"llm_int8_skip_modules":["lm_head"]}}
        """)
        let q = try #require(bnb.quantization)
        #expect(q.method == "bitsandbytes" && q.bits == 4 && q.bnb4bitQuantType == "nf4" && q.bnb4bitDoubleQuant == true)
        #expect(q.modulesNotConverted == ["lm_head"] && q.loadIn4bit == true)
        let gptq = try ConfigFixtures.config(json: #"{"quantization_config":{"quant_method":"gptq","bits":4,"group_size":128,"ignore":["visual"]}}"#)
        #expect(gptq.quantization == QuantizationConfig(method: "gptq", bits: 4, groupSize: 128, modulesNotConverted: ["visual"]))
    }

    @Test("The transformers ≥ 4.56 `dtype` key is read like torch_dtype")
    func dtypeKey() throws {
        let c = try ConfigFixtures.config(json: #"{"model_type":"qwen3","dtype":"float16"}"#)
        #expect(c.dtype == "float16")
    }

    @Test("Values of the wrong type are treated as missing and noted, never fatal")
    func wrongTypes() throws {
        let c = try ConfigFixtures.config(json: """
        {"model_type":7,"hidden_size":"big","num_hidden_layers":3.5,"vocab_size":-1,"num_attention_heads":[1],
         "tie_word_embeddings":"yes","rope_scaling":"linear","max_position_embeddings":{"a":1},"quantization_config":[]}
        """)
        #expect(c.modelType == nil && c.hiddenSize == nil && c.numLayers == nil && c.vocabSize == nil)
        #expect(c.numAttentionHeads == nil && c.contextLength == nil && c.quantization == nil)
        #expect(c.notes.filter { $0.contains("was ignored") || $0.contains("it was ignored") }.count >= 7)
        #expect(c.missing.contains("max_position_embeddings"))
    }

    @Test("Files that are not a JSON object give typed errors")
    func invalidFiles() throws {
        #expect(throws: ConfigError.notAnObject) { try ConfigFixtures.config(json: "[1,2]") }
        #expect(throws: ConfigError.tooDeep(limit: ModelConfig.maxConfigDepth)) {
            try ConfigFixtures.config(json: String(repeating: "[", count: 10_000))
        }
        do {
            _ = try ConfigFixtures.config(json: "{\"hidden_size\": 12")
            Issue.record("truncated JSON was accepted")
        } catch {
            guard case .invalidJSON = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.description.contains("config.json"))
        }
    }

    @Test("Every config fixture parses without notes about ignored keys")
    func fixturesClean() throws {
        let names = ["llama-2-7b", "llama-3.1-8b", "llama-3.1-70b", "mistral-7b-v0.1", "mixtral-8x7b", "qwen2-7b",
                     "qwen2.5-0.5b", "qwen2.5-7b", "qwen1.5-moe-a2.7b", "qwen3-30b-a3b", "qwen3-8b", "gemma-2b",
                     "gemma-2-9b", "gemma-3-4b", "gemma-3-27b", "phi-3-mini-4k", "phi-4", "gpt2", "bert-base-uncased",
                     "t5-small", "t5-base", "bart-base", "deepseek-v2-lite", "deepseek-v3", "olmoe-1b-7b",
                     "llava-1.5-7b", "qwen2-vl-7b"]
        for name in names {
            let c = try ConfigFixtures.config(name)
            #expect(!c.notes.contains { $0.contains("ignored") && !$0.contains("use_sliding_window") }, "\(name): \(c.notes)")
            #expect(c.hiddenSize != nil, "\(name)")
        }
    }
}
