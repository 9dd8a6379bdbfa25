/// A tool `hubscout link` can hand a model to, without copying it.
public enum ModelLinkTarget: String, Sendable, Codable, CaseIterable {
    /// Ollama: a hard-linked blob plus the manifest and config `ollama create` would write.
    case ollama
    /// LM Studio: `<models>/<publisher>/<repo>/<file>.gguf`, hard-linked.
    case lmstudio
    /// llama.cpp's `-hf` cache entry: the flat file and its `manifest=OWNER=REPO=TAG.json`.
    case llamacpp

    /// The inventory's name for the same tool.
    public var tool: LocalTool {
        switch self {
        case .ollama: .ollama
        case .lmstudio: .lmstudio
        case .llamacpp: .llamacpp
        }
    }
}
