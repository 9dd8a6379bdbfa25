/// An inference engine whose memory habits an estimate can assume (`--engine`).
public enum Engine: String, Sendable, CaseIterable, Codable {
    /// Engine-agnostic estimate.
    case `default`
    /// Hugging Face transformers (PyTorch, SDPA attention).
    case transformers
    /// llama.cpp and tools built on it (Ollama, LM Studio's GGUF runtime).
    case llamaCpp = "llama.cpp"
    /// vLLM.
    case vllm
    /// Apple MLX (mlx-lm).
    case mlx

    /// Parses `llama.cpp`, `llamacpp`, `llama-cpp`, `vllm`, `mlx`, `transformers`, `hf`, `default`.
    public init?(name: String) {
        switch name.lowercased() {
        case "default", "auto": self = .default
        case "transformers", "hf", "torch", "pytorch": self = .transformers
        case "llama.cpp", "llamacpp", "llama-cpp", "llama_cpp", "gguf", "ollama": self = .llamaCpp
        case "vllm": self = .vllm
        case "mlx", "mlx-lm", "mlx_lm": self = .mlx
        default: return nil
        }
    }
}
