/// How weights are stored: plain precisions for what-ifs, or a checkpoint's native quantization.
public enum WeightFormat: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 32-bit floats everywhere (4 bytes per parameter: a 70B model is ~280 GB).
    case fp32
    /// 16-bit floats everywhere.
    case fp16
    /// bfloat16 everywhere (same bytes as fp16).
    case bf16
    /// What-if: linear weights at 8 bits (per-channel scales are negligible), the rest 16-bit.
    case int8
    /// What-if: linear weights at 4 bits with a 16-bit scale and 4-bit zero per group of 128 (4.156 bpw), the rest 16-bit.
    case int4
    /// A GGUF quant mix (what-if or a file without tensor infos).
    case gguf(GGUFFileType)
    /// GPTQ: `bits` per weight plus a 16-bit scale and `bits`-bit zero per group (`groupSize` ≤ 0 = per channel).
    case gptq(bits: Int, groupSize: Int)
    /// AWQ: same storage cost as GPTQ.
    case awq(bits: Int, groupSize: Int)
    /// bitsandbytes 4-bit (`nf4`/`fp4`): fp32 absmax per 64 weights, or 8-bit absmax with double quantisation.
    case bitsAndBytes4(quantType: String, doubleQuant: Bool)
    /// bitsandbytes LLM.int8.
    case bitsAndBytes8
    /// FP8 (e4m3/e5m2) linear weights with 128×128 fp32 block scales.
    case fp8
    /// MXFP4 on routed experts only (gpt-oss); attention and the rest 16-bit.
    case mxfp4
    /// MLX affine quantisation: `bits` plus a 16-bit scale and 16-bit bias per group; embeddings and head included.
    case mlx(bits: Int, groupSize: Int)

    /// Short name for tables and JSON (`fp16`, `Q4_K_M`, `gptq-4bit-g128`).
    public var description: String {
        switch self {
        case .fp32: return "fp32"
        case .fp16: return "fp16"
        case .bf16: return "bf16"
        case .int8: return "int8"
        case .int4: return "int4"
        case .gguf(let t): return t.rawValue
        case .gptq(let b, let g): return "gptq-\(b)bit" + (g > 0 ? "-g\(g)" : "")
        case .awq(let b, let g): return "awq-\(b)bit" + (g > 0 ? "-g\(g)" : "")
        case .bitsAndBytes4(let t, let dq): return "bnb-\(t)" + (dq ? "-dq" : "")
        case .bitsAndBytes8: return "bnb-int8"
        case .fp8: return "fp8"
        case .mxfp4: return "mxfp4"
        case .mlx(let b, let g): return "mlx-\(b)bit-g\(g)"
        }
    }

    /// Bits per weight of the converted parts, including per-group scales and zeros (memory-estimation.md §3).
    public var quantizedBitsPerWeight: BitsPerWeight {
        switch self {
        case .fp32: return BitsPerWeight(32)
        case .fp16, .bf16: return BitsPerWeight(16)
        case .int8, .bitsAndBytes8: return BitsPerWeight(8)
        case .int4: return Self.groupQuant(bits: 4, groupSize: 128)
        case .gguf(let t): return t.effectiveBitsPerWeight
        case .gptq(let b, let g), .awq(let b, let g): return Self.groupQuant(bits: b, groupSize: g)
        case .bitsAndBytes4(_, let dq):
            // absmax fp32 per 64 → 4 + 32/64 = 4.5; double quant: 8-bit absmax + fp32 per 256 blocks
            // → 4 + 8/64 + 32/(64·256) = 67616/16384 ≈ 4.127 (§3.4).
            return dq ? BitsPerWeight(numerator: 4 * 16384 + 8 * 256 + 32, denominator: 16384) : BitsPerWeight(numerator: 9, denominator: 2)
        case .fp8:
            // 8 bits + one fp32 scale per 128×128 block (DeepSeek-V3 layout, §3.5).
            return BitsPerWeight(numerator: 8 * 16384 + 32, denominator: 16384)
        case .mxfp4: return BitsPerWeight(blockBytes: 17, blockElements: 32)
        case .mlx(let b, let g):
            let bits = Int64(max(1, b)), group = Int64(max(1, g))
            return BitsPerWeight(numerator: bits * group + 32, denominator: group)
        }
    }

    /// `b + (16 + b)/g`: a 16-bit scale and a b-bit zero per group of g (§3.3: 4-bit g128 = 4.156).
    static func groupQuant(bits: Int, groupSize: Int) -> BitsPerWeight {
        let b = Int64(min(max(bits, 1), 16))
        guard groupSize > 0 else { return BitsPerWeight(b) }
        let g = Int64(groupSize)
        return BitsPerWeight(numerator: b * g + 16 + b, denominator: g)
    }

    /// Which parameter groups the format converts; everything else is stored at `unquantizedBits`.
    public var quantizedParts: QuantizedParts {
        switch self {
        case .fp32, .fp16, .bf16: return .all
        case .int8, .int4, .gptq, .awq, .bitsAndBytes4, .bitsAndBytes8, .fp8: return .linear
        case .gguf: return .allText           // token_embd/output are quantized too; an mmproj file is separate.
        case .mxfp4: return .routedExperts
        case .mlx: return [.linear, .embedding, .lmHead]
        }
    }

    /// Bits of the parts the format leaves alone (32 for fp32, 16 otherwise).
    public var unquantizedBits: BitsPerWeight { self == .fp32 ? BitsPerWeight(32) : BitsPerWeight(16) }

    /// True for plain floating-point formats (no quantization).
    public var isFloatingPoint: Bool { self == .fp32 || self == .fp16 || self == .bf16 }

    /// The nominal storage bits used to rank formats by fidelity (higher = closer to the original).
    public var rankBits: Double { isFloatingPoint ? unquantizedBits.value : quantizedBitsPerWeight.value }

    /// The format of a pre-quantized checkpoint from its `quantization_config`, or nil for unknown methods.
    public init?(quantization q: QuantizationConfig) {
        switch q.method.lowercased() {
        case "gptq": self = .gptq(bits: q.bits ?? 4, groupSize: q.groupSize ?? 128)
        case "awq": self = .awq(bits: q.bits ?? 4, groupSize: q.groupSize ?? 128)
        case "bitsandbytes", "bnb":
            if q.loadIn8bit == true { self = .bitsAndBytes8 } else {
                // transformers' default `bnb_4bit_quant_type` is fp4.
                self = .bitsAndBytes4(quantType: (q.bnb4bitQuantType ?? "fp4").lowercased(), doubleQuant: q.bnb4bitDoubleQuant ?? false)
            }
        case "fp8", "fbgemm_fp8": self = .fp8
        case "mxfp4": self = .mxfp4
        case "mlx": self = .mlx(bits: q.bits ?? 4, groupSize: q.groupSize ?? 64)
        case "compressed-tensors", "modelopt":
            guard let bits = q.bits else { return nil }
            self = bits >= 8 ? .fp8 : .gptq(bits: bits, groupSize: q.groupSize ?? 128)
        default: return nil
        }
    }

    /// The floating-point format named by a config's `torch_dtype` (`float32`, `bfloat16`, `float16`).
    public init?(dtype: String) {
        switch dtype.lowercased() {
        case "float32", "fp32", "f32": self = .fp32
        case "bfloat16", "bf16": self = .bf16
        case "float16", "fp16", "f16", "half": self = .fp16
        default: return nil
        }
    }
}
