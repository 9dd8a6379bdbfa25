/// What went wrong inspecting or cleaning the local cache; each description says what to do.
public enum InventoryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The repository has no folder in the cache.
    case repoNotCached(repo: String, cacheRoot: String)
    /// The revision is neither a ref, a commit nor a unique commit prefix of a cached snapshot.
    case revisionNotCached(repo: String, revision: String, available: [String])
    /// A `REPO[@REV]` argument could not be parsed.
    case invalidTarget(String)
    /// A duration such as `30d` could not be parsed.
    case invalidDuration(String)
    /// A file or folder could not be read or removed.
    case fileSystem(path: String, operation: String, reason: String)
    /// A `cache ls --filter` value could not be parsed.
    case invalidFilter(String, reason: String)

    public var description: String {
        switch self {
        case let .repoNotCached(repo, root):
            "'\(repo)' is not in the cache at \(root); list what is there with hubscout ls (or point HF_HOME / HF_HUB_CACHE at another cache)"
        case let .revisionNotCached(repo, revision, available):
            "revision '\(revision)' of '\(repo)' is not cached; cached revisions: \(available.isEmpty ? "none" : available.joined(separator: ", "))"
        case let .invalidTarget(text):
            "'\(text)' is not a repository; write it as ORG/NAME or ORG/NAME@REVISION (a branch, tag or commit)"
        case let .invalidDuration(text):
            "'\(text)' is not a duration; write it like 30d, 12h, 2w, 90m or 1d12h"
        case let .fileSystem(path, operation, reason):
            "cannot \(operation) \(path): \(reason); check its permissions"
        case let .invalidFilter(text, reason):
            "--filter '\(text)': \(reason)"
        }
    }
}
