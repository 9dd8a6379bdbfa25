/// Why a storage could not answer.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The storage root does not exist or is not a readable directory.
    case rootUnreadable(String)
    /// The sidecar file exists but is not valid JSON of the documented shape.
    case invalidSidecar(path: String, reason: String)
    /// A file of a snapshot could not be read.
    case unreadableFile(String)
    /// A snapshot does not exist.
    case missingSnapshot(repo: String, commit: String)

    /// A sentence for the operator (CLI output, server log). It names paths, so HTTP answers never carry it
    /// (they use `HubErrorResponse(_:)`).
    public var description: String {
        switch self {
        case let .rootUnreadable(path):
            "The cache directory '\(path)' cannot be read; pass an existing Hugging Face cache folder (e.g. ~/.cache/huggingface/hub)."
        case let .invalidSidecar(path, reason):
            "The sidecar file '\(path)' is invalid (\(reason)); fix it, or remove it and restart the server (see HubScoutServer/README.md for its format)."
        case let .unreadableFile(path):
            "The cached file '\(path)' cannot be read; check its permissions or remove the broken entry from the cache."
        case let .missingSnapshot(repo, commit):
            "Commit \(commit) of \(repo) has no snapshot folder in the cache; download it again or remove the ref pointing to it."
        }
    }
}
