import Testing
@testable import HubScoutCore

@Suite("KV cache per layer type and dtype")
struct KVCacheTests {
    @Test("KV dtypes have their real bytes per element", arguments: [
        (KVCacheDType.f16, 16.0), (.bf16, 16.0), (.fp8, 8.0), (.q8_0, 8.5), (.q4_0, 4.5), (.f32, 32.0),
    ])
    func dtypeBits(dtype: KVCacheDType, bits: Double) {
        #expect(dtype.bitsPerElement.value == bits)
    }

    @Test("q8_0 KV for Llama-3.1-8B at 8k is 8.5/16 of the f16 cache")
    func q8Cache() throws {
        let est = try MemoryEstimator(config: FitModels.llama31_8B, parameters: FitModels.llama31_8BParams)
        let e = try est.estimate(.fp16, options: EstimateOptions(context: 8192, kvDType: .q8_0))
        // 2 × 8 × 128 × 32 × 8192 elements = 536,870,912 × 34/32 B = 570,425,344 B
        #expect(e.kvCacheBytes == 570_425_344)
    }

    @Test("layer_types drive the layout; linear-attention layers hold a fixed state")
    func layerTypes() throws {
        let config = ModelConfig(modelType: "qwen3_next", hiddenSize: 2048, numLayers: 4, numAttentionHeads: 16,
                                 numKeyValueHeads: 2, headDim: 256, slidingWindow: 1024,
                                 layerTypes: ["linear_attention", "linear_attention", "sliding_attention", "full_attention"])
        let layout = try AttentionLayout(config: config)
        // recurrent state 16 heads × 256 × 256 × 4 B = 4,194,304 B per layer
        #expect(layout.layers == [.recurrent(stateBytes: 4_194_304), .recurrent(stateBytes: 4_194_304), .sliding(window: 1024), .full])
        // context 4096, f16: sliding 2 × 2 × 256 × 1024 × 2 = 2,097,152; full 2 × 2 × 256 × 4096 × 2 = 8,388,608;
        // states 2 × 4,194,304 = 8,388,608 → 18,874,368
        #expect(try layout.kvBytes(context: 4096, dtype: .f16) == 18_874_368)
        // The state does not grow with context: doubling the context grows only the full layer (+8,388,608).
        #expect(try layout.kvBytes(context: 8192, dtype: .f16) == 18_874_368 + 8_388_608)
    }

    @Test("Gemma 3 without layer_types: 5 local layers per global one")
    func gemma3Pattern() throws {
        let config = ModelConfig(modelType: "gemma3_text", hiddenSize: 2560, numLayers: 12, numAttentionHeads: 8,
                                 numKeyValueHeads: 4, headDim: 256, slidingWindow: 512)
        let layout = try AttentionLayout(config: config)
        let globals = layout.layers.enumerated().filter { $0.element == .full }.map(\.offset)
        #expect(globals == [5, 11])
    }

    @Test("Missing layer count is reported, not guessed")
    func missingLayers() {
        #expect(throws: FitError.missingConfigValue("num_hidden_layers")) {
            try AttentionLayout(config: ModelConfig(hiddenSize: 4096, numAttentionHeads: 32))
        }
    }

    @Test("Hostile layer counts are refused")
    func hostileLayers() {
        #expect(throws: FitError.self) {
            try AttentionLayout(config: ModelConfig(hiddenSize: 4096, numLayers: 10_000_000, numAttentionHeads: 32))
        }
    }

    @Test("Engines pad the context: llama.cpp to 256 cells, vLLM to 16-token blocks")
    func padding() throws {
        #expect(EngineProfile.llamaCpp.paddedContext(1000) == 1024)
        #expect(EngineProfile.vllm.paddedContext(1000) == 1008)
        #expect(EngineProfile.default.paddedContext(1000) == 1000)
        let est = try MemoryEstimator(config: FitModels.llama31_8B, parameters: FitModels.llama31_8BParams)
        let e = try est.estimate(.fp16, options: EstimateOptions(context: 1000, engine: .llamaCpp))
        // 131,072 B/token × 1024 padded cells
        #expect(e.kvCacheBytes == 131_072 * 1024)
    }

    @Test("llama.cpp keeps one ubatch beyond the window on sliding layers")
    func llamaCppSliding() throws {
        let est = try MemoryEstimator(config: FitModels.mistral7B, parameters: FitModels.mistral7BParams)
        let e = try est.estimate(.fp16, options: EstimateOptions(context: 32768, engine: .llamaCpp))
        // min(32768, 4096 + 512) = 4608 cells × 131,072 B
        #expect(e.kvCacheBytes == 4608 * 131_072)
    }
}
