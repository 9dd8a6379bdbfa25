/// Storage type of the KV cache, with real bytes per element including block scales (§2.5, §3.1).
public enum KVCacheDType: String, Sendable, CaseIterable, Codable {
    /// 32-bit floats.
    case f32
    /// 16-bit floats (llama.cpp and most engines' default).
    case f16
    /// bfloat16 (transformers/vLLM `auto` on bf16 models).
    case bf16
    /// FP8 (vLLM `--kv-cache-dtype fp8`): 1 byte per element.
    case fp8
    /// llama.cpp q8_0: 34 bytes per 32 elements = 8.5 bits.
    case q8_0
    /// llama.cpp q4_0: 18 bytes per 32 elements = 4.5 bits.
    case q4_0

    /// Bits per stored element.
    public var bitsPerElement: BitsPerWeight {
        switch self {
        case .f32: return BitsPerWeight(32)
        case .f16, .bf16: return BitsPerWeight(16)
        case .fp8: return BitsPerWeight(8)
        case .q8_0: return GGMLTensorType.q8_0.bitsPerWeight
        case .q4_0: return GGMLTensorType.q4_0.bitsPerWeight
        }
    }

    /// Parses `f16`, `fp16`, `bf16`, `fp8`, `q8`, `q8_0`, `int8`, `q4`, `q4_0`, `f32`.
    public init?(name: String) {
        switch name.lowercased() {
        case "f32", "fp32", "float32": self = .f32
        case "f16", "fp16", "float16", "half", "auto": self = .f16
        case "bf16", "bfloat16": self = .bf16
        case "fp8", "f8", "fp8_e4m3", "fp8_e5m2": self = .fp8
        case "q8", "q8_0", "int8": self = .q8_0
        case "q4", "q4_0", "int4": self = .q4_0
        default: return nil
        }
    }
}
