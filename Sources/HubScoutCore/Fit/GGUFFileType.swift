/// A GGUF file type (`general.file_type`, the name in `…-Q4_K_M.gguf`): a *mix* of tensor types.
/// Effective bits per weight are whole-file figures measured on Llama-3-8B (memory-estimation.md §3.2);
/// they are for what-ifs only: an existing GGUF file is sized from its tensor infos.
public enum GGUFFileType: String, Sendable, CaseIterable, Codable {
    /// Unquantized files.
    case f32 = "F32", f16 = "F16", bf16 = "BF16"
    /// Legacy and K-quant mixes.
    case q8_0 = "Q8_0", q6_K = "Q6_K", q5_K_M = "Q5_K_M", q5_K_S = "Q5_K_S", q5_1 = "Q5_1", q5_0 = "Q5_0"
    case q4_K_M = "Q4_K_M", q4_K_S = "Q4_K_S", q4_1 = "Q4_1", q4_0 = "Q4_0"
    case q3_K_L = "Q3_K_L", q3_K_M = "Q3_K_M", q3_K_S = "Q3_K_S", q2_K = "Q2_K"
    /// i-quant mixes.
    case iq4_XS = "IQ4_XS", iq4_NL = "IQ4_NL", iq3_M = "IQ3_M", iq3_S = "IQ3_S", iq3_XS = "IQ3_XS", iq3_XXS = "IQ3_XXS"
    case iq2_M = "IQ2_M", iq2_S = "IQ2_S", iq2_XS = "IQ2_XS", iq2_XXS = "IQ2_XXS", iq1_M = "IQ1_M", iq1_S = "IQ1_S"
    /// Ternary and MXFP4 mixes.
    case tq1_0 = "TQ1_0", tq2_0 = "TQ2_0", mxfp4_MOE = "MXFP4_MOE"

    /// Whole-file effective bits per weight, in hundredths (mix of types incl. 16/32-bit norms and a higher-bit output).
    public var effectiveBitsPerWeight: BitsPerWeight {
        let hundredths: Int64
        switch self {
        case .f32: hundredths = 3200
        case .f16, .bf16: hundredths = 1600
        case .q8_0: hundredths = 851        // 7.96 GiB on Llama-3-8B
        case .q6_K: hundredths = 657        // 6.14 GiB
        case .q5_K_M: hundredths = 570      // 5.33 GiB
        case .q5_K_S, .q5_0: hundredths = 557 // 5.21 GiB
        case .q5_1: hundredths = 604        // 5.65 GiB
        case .q4_K_M: hundredths = 490      // 4.58 GiB
        case .q4_K_S: hundredths = 467      // 4.37 GiB
        case .q4_1: hundredths = 511        // 4.78 GiB
        case .q4_0: hundredths = 464        // 4.34 GiB
        case .q3_K_L: hundredths = 431      // 4.03 GiB
        case .q3_K_M: hundredths = 400      // 3.74 GiB
        case .q3_K_S: hundredths = 365      // 3.41 GiB
        case .q2_K: hundredths = 317        // 2.96 GiB
        // Fixed-bpw figures printed by llama-quantize (§3.2).
        case .iq4_XS: hundredths = 425
        case .iq4_NL: hundredths = 450
        case .iq3_M: hundredths = 366
        case .iq3_S: hundredths = 344
        case .iq3_XS: hundredths = 330
        case .iq3_XXS: hundredths = 306
        case .iq2_M: hundredths = 270
        case .iq2_S: hundredths = 250
        case .iq2_XS: hundredths = 231
        case .iq2_XXS: hundredths = 206
        case .iq1_M: hundredths = 175
        case .iq1_S: hundredths = 156
        case .tq1_0: hundredths = 169
        case .tq2_0: hundredths = 206
        case .mxfp4_MOE: hundredths = 425   // 17 bytes per 32 FP4 values (§3.5)
        }
        return BitsPerWeight(numerator: hundredths, denominator: 100)
    }

    /// `general.file_type` ids (LLAMA_FTYPE, §3.2).
    public init?(fileTypeID: Int) {
        let table: [Int: GGUFFileType] = [
            0: .f32, 1: .f16, 2: .q4_0, 3: .q4_1, 7: .q8_0, 8: .q5_0, 9: .q5_1, 10: .q2_K, 11: .q3_K_S, 12: .q3_K_M,
            13: .q3_K_L, 14: .q4_K_S, 15: .q4_K_M, 16: .q5_K_S, 17: .q5_K_M, 18: .q6_K, 19: .iq2_XXS, 20: .iq2_XS,
            22: .iq3_XS, 23: .iq3_XXS, 24: .iq1_S, 25: .iq4_NL, 26: .iq3_S, 27: .iq3_M, 28: .iq2_S, 29: .iq2_M,
            30: .iq4_XS, 31: .iq1_M, 32: .bf16, 36: .tq1_0, 37: .tq2_0, 38: .mxfp4_MOE,
        ]
        guard let t = table[fileTypeID] else { return nil }
        self = t
    }

    /// Finds the quant name inside a file name such as `Qwen3-8B-Q4_K_M.gguf` or `model.q8_0.gguf`.
    public init?(fileName: String) {
        let upper = fileName.uppercased()
        // Longest names first so `Q4_K_M` wins over `Q4_K` prefixes and `IQ3_XXS` over `IQ3_XS`.
        let byLength = GGUFFileType.allCases.sorted { $0.rawValue.count > $1.rawValue.count }
        for t in byLength {
            var search = upper[...]
            while let r = search.range(of: t.rawValue) {
                let before = r.lowerBound == upper.startIndex ? nil : upper[upper.index(before: r.lowerBound)]
                let after = r.upperBound == upper.endIndex ? nil : upper[r.upperBound]
                let boundary: (Character?) -> Bool = { c in c.map { !$0.isLetter && !$0.isNumber && $0 != "_" } ?? true }
                if boundary(before) && boundary(after) { self = t; return }
                search = upper[r.upperBound...]
            }
        }
        return nil
    }
}
