import Foundation
import Testing
@testable import HubScoutCore

@Suite("Weight formats and bits per weight")
struct QuantFormatTests {
    @Test("Group quantization adds the scale and zero per group", arguments: [
        (32, 148, 32),    // 4 + 20/32 = 4.625
        (64, 276, 64),    // 4 + 20/64 = 4.3125
        (128, 532, 128),  // 4 + 20/128 = 4.15625
    ])
    func gptqBits(group: Int, numerator: Int64, denominator: Int64) {
        #expect(WeightFormat.gptq(bits: 4, groupSize: group).quantizedBitsPerWeight == BitsPerWeight(numerator: numerator, denominator: denominator))
    }

    @Test("Per-channel GPTQ is plain 4 bits")
    func gptqPerChannel() {
        #expect(WeightFormat.gptq(bits: 4, groupSize: -1).quantizedBitsPerWeight.value == 4)
    }

    @Test("TheBloke/Llama-2-70B-Chat-GPTQ branch sizes follow N_lin × bpw + N_other × 2 within 0.1 GB")
    func seventyBGPTQBranches() throws {
        // N_lin = 68.45B quantizable linear weights, N_other = 0.525B embeddings/norms (memory-estimation.md §3.3).
        let breakdown = ParameterBreakdown(embedding: 262_144_000, lmHead: 262_144_000, attention: 0, denseMLP: 68_450_000_000, other: 712_000)
        let reported: [(Int, Double)] = [(-1, 35.33), (128, 36.65), (64, 37.99), (32, 40.66)]
        let config = ModelConfig(hiddenSize: 8192, numLayers: 80, numAttentionHeads: 64, numKeyValueHeads: 8)
        let est = try MemoryEstimator(config: config, parameters: breakdown)
        for (group, gb) in reported {
            let bytes = try est.weightBytes(.gptq(bits: 4, groupSize: group))
            #expect(abs(Double(bytes) / 1e9 - gb) < 0.1, "g\(group): \(Double(bytes) / 1e9) GB vs \(gb) GB")
        }
    }

    @Test("bitsandbytes nf4 is 4.5 bits, 4.127 with double quantization")
    func bnb() {
        #expect(WeightFormat.bitsAndBytes4(quantType: "nf4", doubleQuant: false).quantizedBitsPerWeight.value == 4.5)
        let dq = WeightFormat.bitsAndBytes4(quantType: "nf4", doubleQuant: true).quantizedBitsPerWeight.value
        #expect(abs(dq - 4.127) < 0.001)
    }

    @Test("MXFP4 is 4.25 bits on experts only; MLX 4-bit g64 is 4.5 bits incl. embeddings")
    func mxfp4AndMLX() {
        #expect(WeightFormat.mxfp4.quantizedBitsPerWeight.value == 4.25)
        #expect(WeightFormat.mxfp4.quantizedParts == .routedExperts)
        #expect(WeightFormat.mlx(bits: 4, groupSize: 64).quantizedBitsPerWeight.value == 4.5)
        #expect(WeightFormat.mlx(bits: 4, groupSize: 64).quantizedParts.contains(.embedding))
        #expect(!WeightFormat.int4.quantizedParts.contains(.embedding))
    }

    @Test("quantization_config maps to native formats", arguments: [
        (QuantizationConfig(method: "gptq", bits: 4, groupSize: 128), WeightFormat.gptq(bits: 4, groupSize: 128)),
        (QuantizationConfig(method: "awq", bits: 4, groupSize: 64), WeightFormat.awq(bits: 4, groupSize: 64)),
        (QuantizationConfig(method: "bitsandbytes", bnb4bitQuantType: "nf4", bnb4bitDoubleQuant: true, loadIn4bit: true),
         WeightFormat.bitsAndBytes4(quantType: "nf4", doubleQuant: true)),
        (QuantizationConfig(method: "bitsandbytes", loadIn8bit: true), WeightFormat.bitsAndBytes8),
        (QuantizationConfig(method: "fp8"), WeightFormat.fp8),
        (QuantizationConfig(method: "mxfp4"), WeightFormat.mxfp4),
    ])
    func fromQuantizationConfig(q: QuantizationConfig, expected: WeightFormat) {
        #expect(WeightFormat(quantization: q) == expected)
    }

    @Test("Unknown quant methods are not guessed")
    func unknownMethod() {
        #expect(WeightFormat(quantization: QuantizationConfig(method: "hqq")) == nil)
    }

    @Test("ggml block types have their real bytes per block")
    func ggmlTypes() throws {
        #expect(GGMLTensorType.q8_0.bitsPerWeight.value == 8.5)
        #expect(GGMLTensorType.q4_K.bitsPerWeight.value == 4.5)
        #expect(GGMLTensorType.q6_K.bitsPerWeight.value == 6.5625)
        #expect(GGMLTensorType.q8_K.bitsPerWeight.value == 9.125)
        #expect(GGMLTensorType.iq2_S.bitsPerWeight.value == 2.5625)
        // 4096 × 4096 Q4_K tensor: 65,536 blocks × 144 B = 9,437,184 B
        #expect(try GGMLTensorType.q4_K.bytes(elements: 4096 * 4096) == 9_437_184)
        #expect(GGMLTensorType(name: "q6_k") == .q6_K)
        #expect(GGMLTensorType(rawValue: 30) == .bf16)
    }

    @Test("GGUF file names and file-type ids resolve to quant mixes", arguments: [
        ("Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf", GGUFFileType.q4_K_M),
        ("qwen2.5-0.5b-instruct-q8_0.gguf", .q8_0),
        ("model-IQ3_XXS.gguf", .iq3_XXS),
        ("Qwen3-8B-IQ3_XS.gguf", .iq3_XS),
        ("gpt-oss-20b-MXFP4_MOE.gguf", .mxfp4_MOE),
    ])
    func ggufFileNames(name: String, expected: GGUFFileType) {
        #expect(GGUFFileType(fileName: name) == expected)
    }

    @Test("Files without a quant name are not guessed")
    func ggufNoName() {
        #expect(GGUFFileType(fileName: "mmproj-model.gguf") == nil)
        #expect(GGUFFileType(fileTypeID: 15) == .q4_K_M)
        #expect(GGUFFileType(fileTypeID: 5) == nil)
    }

    @Test("Byte arithmetic refuses to overflow")
    func overflow() {
        #expect(throws: FitError.self) { try BitsPerWeight(32).bytes(for: Int64.max / 2) }
        #expect(throws: FitError.self) { try GGMLTensorType.f64.bytes(elements: Int64.max / 4) }
    }
}

@Suite("Weight format names")
struct QuantFormatNameTests {
    @Test("Every format round-trips through its name and JSON", arguments: [
        WeightFormat.fp32, .fp16, .bf16, .int8, .int4, .gguf(.q4_K_M), .gguf(.iq3_XXS), .gptq(bits: 4, groupSize: 128),
        .awq(bits: 4, groupSize: -1), .bitsAndBytes4(quantType: "nf4", doubleQuant: true), .bitsAndBytes8, .fp8, .mxfp4,
        .mlx(bits: 4, groupSize: 64),
    ])
    func roundTrip(format: WeightFormat) throws {
        #expect(WeightFormat(name: format.description) == format)
        let data = try JSONEncoder().encode([format])
        #expect(String(decoding: data, as: UTF8.self) == "[\"\(format.description)\"]")
        #expect(try JSONDecoder().decode([WeightFormat].self, from: data) == [format])
    }

    @Test("Unknown names are rejected")
    func unknown() {
        #expect(WeightFormat(name: "int3") == nil)
        #expect(WeightFormat(name: "gptq-99bit") == nil)
        #expect(WeightFormat(name: "gptq-4bit-gX") == nil)
    }
}
