import HubScoutCore

/// The kind of a repository file, for grouping in `hubscout info`.
public enum RepoFileFormat: String, Sendable, Codable, CaseIterable {
    case safetensors, gguf, mlx, pytorch, onnx, tensorflow, flax, coreml, config, tokenizer, card, other

    /// Classifies a path; `isMLX` marks repos whose safetensors are MLX weights.
    public static func of(_ path: String, isMLX: Bool = false) -> RepoFileFormat {
        let lower = path.lowercased()
        let name = lower.split(separator: "/").last.map(String.init) ?? lower
        if lower.hasSuffix(".safetensors") { return isMLX ? .mlx : .safetensors }
        if lower.hasSuffix(".gguf") { return .gguf }
        if lower.hasSuffix(".bin") || lower.hasSuffix(".pt") || lower.hasSuffix(".pth") || lower.hasSuffix(".ckpt") { return .pytorch }
        if lower.hasSuffix(".onnx") || lower.hasSuffix(".onnx_data") || lower.contains(".onnx.") { return .onnx }
        if lower.hasSuffix(".h5") || lower.hasSuffix(".tflite") { return .tensorflow }
        if lower.hasSuffix(".msgpack") { return .flax }
        if lower.contains(".mlmodelc/") || lower.contains(".mlpackage/") || lower.hasSuffix(".mlmodel") { return .coreml }
        if name == "readme.md" { return .card }
        if name.hasPrefix("tokenizer") || name == "vocab.json" || name == "vocab.txt" || name == "merges.txt"
            || name == "special_tokens_map.json" || name.hasSuffix(".model") && name.contains("token") { return .tokenizer }
        if name.hasSuffix(".json") && (name.contains("config") || name.hasSuffix(".index.json")) { return .config }
        return .other
    }

    /// True for weight formats.
    public var isWeights: Bool { [.safetensors, .gguf, .mlx, .pytorch, .onnx, .tensorflow, .flax, .coreml].contains(self) }
}
