/// The tool whose store holds a local model.
public enum LocalTool: String, Sendable, Codable, CaseIterable, Comparable {
    /// The Hugging Face cache (huggingface_hub, `hf`, transformers, MLX, hubscout, newer llama.cpp `-hf`).
    case huggingface
    /// Ollama's blob store (`manifests/` + `blobs/sha256-…`).
    case ollama
    /// LM Studio's models folder (`<publisher>/<repo>/…`).
    case lmstudio
    /// llama.cpp's own cache (`LLAMA_CACHE`: flat `-hf` downloads, or the Hugging Face layout inside it).
    case llamacpp
    /// A folder given with `--path`.
    case path

    /// Order of preference for the copy kept when duplicates are linked: the Hugging Face cache first (every other
    /// tool can be pointed at it), a folder given by hand last.
    public static func < (a: LocalTool, b: LocalTool) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
