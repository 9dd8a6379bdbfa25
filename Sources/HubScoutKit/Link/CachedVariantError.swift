/// Why a GGUF variant could not be taken from the cache for `hubscout link`; each message says what to do.
public enum CachedVariantError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No snapshot of the repository at that revision.
    case notInCache(repo: String, revision: String, cacheRoot: String)
    /// The snapshot holds no GGUF file.
    case noGGUF(repo: String)
    /// No variant has the quantization asked for.
    case quantizationNotFound(repo: String, quantization: String, available: [String])
    /// Several variants and none asked for, or the tag names several.
    case ambiguous(repo: String, available: [String])
    /// A cached file's bytes are not the sha256 its blob is named by.
    case corrupt(path: String, expected: String, actual: String)
    /// A file could not be read.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .notInCache(repo, revision, cacheRoot):
            return "\(repo)@\(revision) is not in the cache at \(cacheRoot); fetch it first: hubscout download \(repo)"
        case let .noGGUF(repo):
            return "\(repo) has no GGUF file in the cache; link hands GGUF models to Ollama, LM Studio and llama.cpp"
        case let .quantizationNotFound(repo, quantization, available):
            return "\(repo) has no \(quantization) GGUF in the cache"
                + (available.isEmpty ? "" : "; cached: \(available.joined(separator: ", ")) (pick one with \(repo):QUANT)")
        case let .ambiguous(repo, available):
            return "\(repo) holds several GGUF variants (\(available.joined(separator: ", "))); name one: \(repo):\(available.first ?? "QUANT")"
        case let .corrupt(path, expected, actual):
            return "\(path) has sha256 \(actual), not \(expected): the cached file is damaged; run hubscout cache verify, then download it again"
        case let .unreadable(path, reason):
            return "cannot read \(path): \(reason)"
        }
    }
}
