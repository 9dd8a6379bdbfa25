import Foundation

/// Names: `WeightFormat` reads and writes itself as its short name (`fp16`, `Q4_K_M`, `gptq-4bit-g128`).
extension WeightFormat {
    /// Parses a short name as printed by `description`, plus common aliases (`float16`, `q4_k_m`, `nf4`).
    public init?(name: String) {
        let n = name.trimmingCharacters(in: .whitespaces)
        let lower = n.lowercased()
        switch lower {
        case "fp32", "f32", "float32": self = .fp32; return
        case "fp16", "f16", "float16", "half": self = .fp16; return
        case "bf16", "bfloat16": self = .bf16; return
        case "int8", "8bit": self = .int8; return
        case "int4", "4bit": self = .int4; return
        case "fp8": self = .fp8; return
        case "mxfp4": self = .mxfp4; return
        case "bnb-int8", "bnb-8bit", "llm.int8": self = .bitsAndBytes8; return
        case "nf4", "bnb-nf4": self = .bitsAndBytes4(quantType: "nf4", doubleQuant: false); return
        case "bnb-nf4-dq": self = .bitsAndBytes4(quantType: "nf4", doubleQuant: true); return
        case "fp4", "bnb-fp4": self = .bitsAndBytes4(quantType: "fp4", doubleQuant: false); return
        case "bnb-fp4-dq": self = .bitsAndBytes4(quantType: "fp4", doubleQuant: true); return
        default: break
        }
        if let t = GGUFFileType(rawValue: n.uppercased()) { self = .gguf(t); return }
        // gptq-4bit-g128, awq-4bit, mlx-4bit-g64
        let parts = lower.split(separator: "-")
        guard parts.count >= 2, parts[1].hasSuffix("bit"), let bits = Int(parts[1].dropLast(3)), (1...16).contains(bits) else { return nil }
        var group = -1
        if parts.count >= 3 {
            guard parts[2].hasPrefix("g"), let g = Int(parts[2].dropFirst()), (1...1 << 20).contains(g) else { return nil }
            group = g
        }
        switch parts[0] {
        case "gptq": self = .gptq(bits: bits, groupSize: group)
        case "awq": self = .awq(bits: bits, groupSize: group)
        case "mlx": self = .mlx(bits: bits, groupSize: group > 0 ? group : 64)
        default: return nil
        }
    }

    /// Decodes from the short name.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let f = WeightFormat(name: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "Unknown weight format \(text)"))
        }
        self = f
    }

    /// Encodes as the short name.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
