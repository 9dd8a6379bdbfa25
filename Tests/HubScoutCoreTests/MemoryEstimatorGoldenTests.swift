import Foundation
import Testing
@testable import HubScoutCore

/// Golden estimates for real models. Each expected figure is worked out by hand in the comment beside it.
@Suite("MemoryEstimator golden figures")
struct MemoryEstimatorGoldenTests {
    static let GiB: Int64 = 1 << 30

    @Test("Parameter breakdowns add up to the published exact counts")
    func breakdownTotals() {
        #expect(FitModels.llama31_8BParams.total == 8_030_261_248)
        #expect(FitModels.llama31_70BParams.total == 70_553_706_496)
        #expect(FitModels.mistral7BParams.total == 7_241_732_096)
        #expect(FitModels.mixtralParams.total == 46_702_792_704)
        #expect(FitModels.mixtralParams.active == 12_879_925_248)
        #expect(FitModels.deepseekV2LiteParams.total == 15_706_484_224)
        #expect(FitModels.qwen25_05BParams.total == 494_032_768)
        #expect(FitModels.gemma2_9BParams.total == 9_241_705_984)
        #expect(FitModels.llama2_7BParams.total == 6_738_415_616)
    }

    @Test("Llama-3.1-8B at 8k: fp16 weights 16.06 GB, KV 1 GiB")
    func llama8B_8k() throws {
        let est = try MemoryEstimator(config: FitModels.llama31_8B, parameters: FitModels.llama31_8BParams)
        let e = try est.estimate(.fp16, options: EstimateOptions(context: 8192))
        // 8,030,261,248 params × 2 B = 16,060,522,496 B (= index.json total_size)
        #expect(e.weightsBytes == 16_060_522_496)
        // KV per token = 2 (K,V) × 8 kv heads × 128 head_dim × 32 layers × 2 B = 131,072 B; × 8192 = 1 GiB
        #expect(e.kvCacheBytes == 131_072 * 8192)
        #expect(e.kvCacheBytes == Self.GiB)
        // Default profile compute, one 512-token step in f32:
        //   max(mask 512 × 8192 × 2 = 8,388,608, FFN 512 × 14336 × 3 × 4 = 88,080,384)
        //   + hidden 512 × 4096 × 4 × 4 = 33,554,432 + logits 512 × 128256 × 4 = 262,668,288 = 384,303,104
        #expect(e.computeBytes == 384_303_104)
        #expect(e.runtimeBytes == 650_000_000)
        // total = 16,060,522,496 + 1,073,741,824 + 384,303,104 + 650,000,000
        #expect(e.totalBytes == 18_168_567_424)
        #expect(e.biggestContributor == .weights)
        #expect(e.parameters.active == nil)
    }

    @Test("Llama-3.1-8B at 128k: KV grows to 16 GiB")
    func llama8B_128k() throws {
        let est = try MemoryEstimator(config: FitModels.llama31_8B, parameters: FitModels.llama31_8BParams)
        let e = try est.estimate(.fp16, options: EstimateOptions(context: 131_072))
        // 131,072 B/token × 131,072 tokens = 17,179,869,184 B = 16 GiB
        #expect(e.kvCacheBytes == 16 * Self.GiB)
        #expect(e.weightsBytes == 16_060_522_496)
        #expect(e.biggestContributor == .kvCache)
    }

    @Test("Without a context the estimate uses 8k, not the model's 128k maximum")
    func defaultContext() throws {
        let est = try MemoryEstimator(config: FitModels.llama31_8B, parameters: FitModels.llama31_8BParams)
        let e = try est.estimate(.fp16)
        #expect(e.context == 8192)
        #expect(e.kvCacheBytes == Self.GiB)
    }

    @Test("70B at FP32 is about 280 GB, not 140 GB")
    func seventyBFP32() throws {
        let est = try MemoryEstimator(config: FitModels.llama31_70B, parameters: FitModels.llama31_70BParams)
        // 70,553,706,496 × 4 B = 282,214,825,984 B ≈ 282.2 GB; fp16 is half of that, 141.1 GB.
        let fp32 = try est.weightBytes(.fp32)
        #expect(fp32 == 282_214_825_984)
        #expect(fp32 > 280_000_000_000)
        #expect(try est.weightBytes(.fp16) == 141_107_412_992)
    }

    @Test("Mistral-7B: sliding window caps the KV cache at 4096 tokens")
    func mistralSlidingWindow() throws {
        let est = try MemoryEstimator(config: FitModels.mistral7B, parameters: FitModels.mistral7BParams)
        // 7,241,732,096 × 2 B = 14,483,464,192 B
        let e32k = try est.estimate(.fp16, options: EstimateOptions(context: 32768))
        #expect(e32k.weightsBytes == 14_483_464_192)
        // KV per token 2 × 8 × 128 × 32 × 2 = 131,072 B, capped at 4096 tokens → 536,870,912 B = 512 MiB
        #expect(e32k.kvCacheBytes == 536_870_912)
        // Below the window nothing is capped: 2048 tokens → 268,435,456 B
        let e2k = try est.estimate(.fp16, options: EstimateOptions(context: 2048))
        #expect(e2k.kvCacheBytes == 268_435_456)
        // head_dim is not in the config: derived 4096 / 32 = 128, and said so.
        #expect(est.layout.headDimDerived)
        #expect(e32k.notes.contains { $0.contains("head_dim derived") && $0.contains("4096 / 32 = 128") })
    }

    @Test("Mixtral-8x7B: all 46.7B parameters resident, 12.9B active, experts can go to RAM")
    func mixtral() throws {
        let est = try MemoryEstimator(config: FitModels.mixtral, parameters: FitModels.mixtralParams)
        let e = try est.estimate(.fp16, options: EstimateOptions(context: 32768))
        // 46,702,792,704 × 2 B = 93,405,585,408 B (all experts resident)
        #expect(e.weightsBytes == 93_405_585_408)
        #expect(e.parameters.total == 46_702_792_704)
        #expect(e.parameters.active == 12_879_925_248)
        // Full attention (no sliding window): 131,072 B/token × 32768 = 4 GiB
        #expect(e.kvCacheBytes == 4 * Self.GiB)
        // Routed experts 45,097,156,608 × 2 B = 90,194,313,216 B
        #expect(e.routedExpertBytes == 90_194_313_216)
        let off = try est.estimate(.fp16, options: EstimateOptions(context: 32768, expertsOnCPU: true))
        #expect(off.hostWeightsBytes == 90_194_313_216)
        #expect(off.deviceBytes == off.totalBytes - 90_194_313_216)
    }

    @Test("DeepSeek-V2-Lite: MLA caches 576 latent values per token per layer")
    func deepseekMLA() throws {
        let est = try MemoryEstimator(config: FitModels.deepseekV2Lite, parameters: FitModels.deepseekV2LiteParams)
        let e = try est.estimate(.bf16, options: EstimateOptions(context: 32768))
        // (kv_lora_rank 512 + qk_rope_head_dim 64) × 2 B × 27 layers = 31,104 B/token (30.4 KiB)
        // × 32768 tokens = 1,019,215,872 B
        #expect(e.kvCacheBytes == 1_019_215_872)
        // A naive GQA formula would give 2 × 16 heads × 128 × 27 × 2 B = 221,184 B/token, 7× more.
        #expect(e.kvCacheBytes * 7 < 221_184 * 32768)
        // 15,706,484,224 × 2 B
        #expect(e.weightsBytes == 31_412_968_448)
        #expect(e.parameters.active == 2_661_150_208)
    }

    @Test("Qwen2.5-0.5B: tied embeddings count once; int4 keeps them 16-bit")
    func qwenTied() throws {
        let est = try MemoryEstimator(config: FitModels.qwen25_05B, parameters: FitModels.qwen25_05BParams)
        // 494,032,768 × 2 B = 988,065,536 B (the 136M embedding once)
        #expect(try est.weightBytes(.bf16) == 988_065_536)
        // int4 what-if: linear 357,826,560 × 532/128 bits / 8 = 185,902,080 B
        //   + (embedding 136,134,656 + other 71,552) × 2 B = 272,412,416 B → 458,314,496 B
        #expect(try est.weightBytes(.int4) == 458_314_496)
        // KV: 2 × 2 × 64 × 24 × 2 B = 12,288 B/token × 32768 = 402,653,184 B (384 MiB); no sliding window.
        let e = try est.estimate(.bf16, options: EstimateOptions(context: 32768))
        #expect(e.kvCacheBytes == 402_653_184)
    }

    @Test("Qwen2.5-0.5B on llama.cpp: tied token_embd stays in RAM with a copy on the GPU")
    func qwenTiedLlamaCpp() throws {
        let est = try MemoryEstimator(config: FitModels.qwen25_05B, parameters: FitModels.qwen25_05BParams)
        let e = try est.estimate(.fp16, options: EstimateOptions(context: 4096, engine: .llamaCpp))
        // embedding 136,134,656 × 2 B = 272,269,312 B on the host, and again as the output matrix on the GPU.
        #expect(e.hostWeightsBytes == 272_269_312)
        #expect(e.weightsBytes == 988_065_536 + 272_269_312)
        #expect(e.deviceBytes == e.totalBytes - 272_269_312)
    }

    @Test("Gemma-2-9B: alternating local/global layers")
    func gemma2() throws {
        let est = try MemoryEstimator(config: FitModels.gemma2_9B, parameters: FitModels.gemma2_9BParams)
        let e = try est.estimate(.bf16, options: EstimateOptions(context: 8192))
        // per layer per token 2 × 8 × 256 × 2 B = 8,192 B
        // 21 global layers × 8192 tokens × 8192 B = 1,409,286,144
        // 21 local layers × 4096 tokens × 8192 B =   704,643,072  → 2,113,929,216 B (1.97 GiB, vs 2.625 GiB if all full)
        #expect(e.kvCacheBytes == 2_113_929_216)
        // layer 0 is local, layer 1 global (Gemma-2's pattern)
        #expect(est.layout.layers[0] == .sliding(window: 4096))
        #expect(est.layout.layers[1] == .full)
        #expect(e.weightsBytes == 18_483_411_968)   // 9,241,705,984 × 2 B
    }

    @Test("A GPTQ 4-bit group-128 repo: linear weights at 4.156 bits, the rest 16-bit")
    func gptqRepo() throws {
        let est = try MemoryEstimator(config: FitModels.llama2_7BGPTQ, parameters: FitModels.llama2_7BParams)
        #expect(est.nativeFormat == .gptq(bits: 4, groupSize: 128))
        // bpw = 4 + (16 + 4)/128 = 532/128 = 4.15625
        #expect(WeightFormat.gptq(bits: 4, groupSize: 128).quantizedBitsPerWeight == BitsPerWeight(numerator: 532, denominator: 128))
        // linear 6,476,005,376 × 532/128 / 8 = 3,364,487,168 B; + (262,144,000 + 266,240) × 2 B = 524,820,480 B
        // = 3,889,307,648 B ≈ 3.89 GB (TheBloke/Llama-2-7B-GPTQ's 4-bit g128 file is 3.90 GB; the rest is g_idx).
        let native = try #require(est.nativeFormat)
        #expect(try est.weightBytes(native) == 3_889_307_648)
        let table = try est.table(options: EstimateOptions(context: 4096))
        #expect(table.map(\.format) == [.fp32, .fp16, .int8, .int4, .gptq(bits: 4, groupSize: 128)])
        // MHA: 2 × 32 × 128 × 32 × 2 B = 524,288 B/token × 4096 = 2 GiB
        #expect(table[4].kvCacheBytes == 2 * Self.GiB)
    }

    @Test("A GGUF Q4_K_M file is sized from its exact tensor bytes")
    func ggufFromTensors() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/fit/llama-3-8b-q4_k_m.tensors", withExtension: "tsv"))
        let text = try String(contentsOf: url, encoding: .utf8)
        var tensors: [(type: GGMLTensorType, elements: Int64)] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let cols = line.split(separator: "\t")
            let type = try #require(GGMLTensorType(name: String(cols[1])))
            let elements = cols[2].split(separator: ",").compactMap { Int64($0) }.reduce(1, *)
            tensors.append((type, elements))
        }
        #expect(tensors.count == 291)
        let bytes = try GGMLTensorType.totalBytes(of: tensors)
        // token_embd Q4_K: 525,336,576 × 144/256 = 295,501,824; output Q6_K: × 210/256 = 430,940,160; output_norm 16,384
        // 16 plain layers × 122,716,160 + 16 "more bits" layers (Q6_K attn_v/ffn_down) × 138,936,320 = 4,186,439,680
        // total 4,912,898,048 B = 4.58 GiB, the size llama-quantize lists for Q4_K_M on Llama-3-8B.
        #expect(bytes == 4_912_898_048)
        #expect(abs(Double(bytes) / Double(Self.GiB) - 4.58) < 0.01)

        let est = try MemoryEstimator(config: FitModels.llama31_8B, parameters: FitModels.llama31_8BParams,
                                      nativeFormat: .gguf(.q4_K_M), exactWeightBytes: bytes)
        let e = try est.estimate(.gguf(.q4_K_M), options: EstimateOptions(context: 8192, engine: .llamaCpp))
        #expect(e.weightsExact)
        #expect(e.weightsBytes == 4_912_898_048)
        // The what-if bpw for Q4_K_M (4.90) lands within 1% of the exact file.
        let plain = try MemoryEstimator(config: FitModels.llama31_8B, parameters: FitModels.llama31_8BParams)
        #expect(try plain.weightBytes(.gguf(.q4_K_M)) == 4_918_535_015)   // ceil(8,030,261,248 × 4.90 / 8)
        let computed = try BitsPerWeight(numerator: 490, denominator: 100).bytes(for: 8_030_261_248)
        #expect(abs(Double(computed - bytes)) / Double(bytes) < 0.01)
        // llama.cpp: 8192 is already a multiple of 256, so KV stays 1 GiB; token_embd (scaled share) stays on the host.
        #expect(e.kvCacheBytes == Self.GiB)
        #expect(e.hostWeightsBytes > 250_000_000 && e.hostWeightsBytes < 350_000_000)
    }

    @Test("An encoder-only model has no KV cache")
    func encoderOnly() throws {
        let est = try MemoryEstimator(config: FitModels.bertBase, parameters: FitModels.bertBaseParams)
        let e = try est.estimate(.fp32, options: EstimateOptions(context: 512))
        #expect(e.kvCacheBytes == 0)
        #expect(e.notes.contains { $0.contains("Encoder-only") })
    }

    @Test("Batch multiplies the KV cache")
    func batchMultiplies() throws {
        let est = try MemoryEstimator(config: FitModels.llama31_8B, parameters: FitModels.llama31_8BParams)
        let one = try est.estimate(.fp16, options: EstimateOptions(context: 4096, batch: 1))
        let four = try est.estimate(.fp16, options: EstimateOptions(context: 4096, batch: 4))
        // 131,072 × 4096 × 4 = 2 GiB
        #expect(four.kvCacheBytes == 4 * one.kvCacheBytes)
        #expect(four.kvCacheBytes == 2 * Self.GiB)
    }
}
