/// A ggml tensor storage type as it appears in GGUF tensor infos (type id, block size, bytes per block).
/// Block sizes and bytes follow memory-estimation.md §3.1 (gguf-parser-go `ggml.go`).
public enum GGMLTensorType: Int, Sendable, CaseIterable, Codable {
    /// Plain floats and the legacy 32-element block types.
    case f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3, q5_0 = 6, q5_1 = 7, q8_0 = 8, q8_1 = 9
    /// K-quants: 256-element super-blocks.
    case q2_K = 10, q3_K = 11, q4_K = 12, q5_K = 13, q6_K = 14, q8_K = 15
    /// i-quants (importance-matrix codebooks).
    case iq2_XXS = 16, iq2_XS = 17, iq3_XXS = 18, iq1_S = 19, iq4_NL = 20, iq3_S = 21, iq2_S = 22, iq4_XS = 23
    /// Integers, f64, IQ1_M and bf16.
    case i8 = 24, i16 = 25, i32 = 26, i64 = 27, f64 = 28, iq1_M = 29, bf16 = 30
    /// Ternary types and MXFP4 (32 FP4 values + one E8M0 scale).
    case tq1_0 = 34, tq2_0 = 35, mxfp4 = 39

    /// Elements per block and bytes per block.
    public var block: (elements: Int64, bytes: Int64) {
        switch self {
        case .f32: return (1, 4)
        case .f16, .bf16: return (1, 2)
        case .q4_0, .iq4_NL: return (32, 18)
        case .q4_1: return (32, 20)
        case .q5_0: return (32, 22)
        case .q5_1: return (32, 24)
        case .q8_0: return (32, 34)
        case .q8_1: return (32, 36)
        case .q2_K: return (256, 84)
        case .q3_K, .iq3_S: return (256, 110)
        case .q4_K: return (256, 144)
        case .q5_K: return (256, 176)
        case .q6_K: return (256, 210)
        case .q8_K: return (256, 292)
        case .iq2_XXS, .tq2_0: return (256, 66)
        case .iq2_XS: return (256, 74)
        case .iq3_XXS: return (256, 98)
        case .iq1_S: return (256, 50)
        case .iq2_S: return (256, 82)
        case .iq4_XS: return (256, 136)
        case .i8: return (1, 1)
        case .i16: return (1, 2)
        case .i32: return (1, 4)
        case .i64, .f64: return (1, 8)
        case .iq1_M: return (256, 56)
        case .tq1_0: return (256, 54)
        case .mxfp4: return (32, 17)
        }
    }

    /// Bits per element including the block's scales.
    public var bitsPerWeight: BitsPerWeight { BitsPerWeight(blockBytes: block.bytes, blockElements: block.elements) }

    /// The upper-case name used by llama.cpp (`Q4_K`, `BF16`).
    public var name: String {
        switch self {
        case .f32: return "F32"
        case .f16: return "F16"
        case .bf16: return "BF16"
        case .f64: return "F64"
        case .i8: return "I8"
        case .i16: return "I16"
        case .i32: return "I32"
        case .i64: return "I64"
        default: return String(describing: self).uppercased()
        }
    }

    /// Looks a type up by its llama.cpp name, case-insensitively.
    public init?(name: String) {
        let upper = name.uppercased()
        guard let match = GGMLTensorType.allCases.first(where: { $0.name == upper }) else { return nil }
        self = match
    }

    /// Exact bytes of a tensor with `elements` elements: whole blocks, as ggml stores rows.
    public func bytes(elements: Int64) throws -> Int64 {
        guard elements >= 0 else { throw FitError.invalidValue(name: "tensor elements", value: elements) }
        let (blocks, rest) = elements.quotientAndRemainder(dividingBy: block.elements)
        return try CheckedMath.mul(rest > 0 ? blocks + 1 : blocks, block.bytes, "\(name) tensor bytes")
    }

    /// Sum of exact bytes over a list of tensors, e.g. a GGUF file's tensor infos.
    public static func totalBytes(of tensors: [(type: GGMLTensorType, elements: Int64)]) throws -> Int64 {
        var total: Int64 = 0
        for t in tensors { total = try CheckedMath.add(total, try t.type.bytes(elements: t.elements), "GGUF tensor bytes") }
        return total
    }
}
