import HubScoutCore

/// A GGUF variant of a repository in the Hugging Face cache, with what each tool needs to know about it. Every
/// `sha256` here was computed from the bytes (or remembered for the unchanged file), never taken from a name.
public struct ModelLinkSource: Sendable, Equatable {
    /// One file to hand over.
    public struct File: Sendable, Equatable {
        /// The path in the repository (`Q4_K_M/model-00001-of-00002.gguf`).
        public var repoPath: SafeRelativePath
        /// The bytes on disk (the blob, links resolved).
        public var contentPath: String
        public var size: Int64
        /// Lower-case hex sha256 of the content.
        public var sha256: String

        public init(repoPath: SafeRelativePath, contentPath: String, size: Int64, sha256: String) {
            self.repoPath = repoPath; self.contentPath = contentPath; self.size = size; self.sha256 = sha256
        }
    }

    /// What the GGUF header says, for Ollama's config and template.
    public struct GGUFFacts: Sendable, Equatable {
        /// `general.architecture` (Ollama's model family).
        public var architecture: String?
        /// Parameters counted from the tensor infos.
        public var parameterCount: Int64?
        /// `tokenizer.chat_template` (Jinja).
        public var chatTemplate: String?

        public init(architecture: String? = nil, parameterCount: Int64? = nil, chatTemplate: String? = nil) {
            self.architecture = architecture; self.parameterCount = parameterCount; self.chatTemplate = chatTemplate
        }
    }

    public var repo: RepoID
    /// The snapshot the files come from.
    public var commit: CommitHash
    /// The variant's quantization, from its name or its header.
    public var quantization: GGUFFileType?
    /// Weight files, the first part first.
    public var weights: [File]
    /// The vision projector shipped beside it, when there is exactly one.
    public var projector: File?
    public var facts: GGUFFacts

    public init(repo: RepoID, commit: CommitHash, quantization: GGUFFileType?, weights: [File], projector: File? = nil, facts: GGUFFacts) {
        self.repo = repo; self.commit = commit; self.quantization = quantization; self.weights = weights
        self.projector = projector; self.facts = facts
    }

    /// The tag tools use for the variant (`Q4_K_M`), `latest` when the names don't say.
    public var tag: String { quantization?.rawValue ?? "latest" }
}
