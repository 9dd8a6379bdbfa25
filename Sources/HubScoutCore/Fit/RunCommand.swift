/// A command line that runs a sized variant with the context and offload it was sized for.
public struct RunCommand: Sendable, Equatable, Codable {
    /// The tool the command is for.
    public enum Tool: String, Sendable, Codable, CaseIterable {
        /// `llama-server` (llama.cpp).
        case llamaCpp = "llama.cpp"
        /// `ollama run hf.co/…`.
        case ollama
        /// `vllm serve`.
        case vllm
        /// `mlx_lm.generate` (Apple silicon).
        case mlx
    }

    /// Which tool runs it.
    public var engine: Tool
    /// The command, ready to paste.
    public var command: String
    /// What the command cannot say itself (a setting made elsewhere, a caveat), when there is one.
    public var note: String?

    /// Creates a command.
    public init(engine: Tool, command: String, note: String? = nil) {
        self.engine = engine; self.command = command; self.note = note
    }
}
