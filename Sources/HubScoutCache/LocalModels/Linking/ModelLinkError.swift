/// Why `hubscout link` refused or stopped; each message says what to do.
public enum ModelLinkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The tool's store folder doesn't exist (the tool isn't installed there).
    case storeMissing(tool: ModelLinkTarget, tried: [String])
    /// A hard link can't cross filesystems, and link never copies.
    case otherFilesystem(cachePath: String, store: String)
    /// The tool can't use this variant (Ollama and split GGUFs).
    case unsupported(tool: ModelLinkTarget, reason: String)
    /// A path in the store is taken by something else.
    case occupied(path: String, reason: String)
    /// A name the tool would not accept.
    case invalidName(String, reason: String)
    case fileSystem(path: String, operation: String, message: String)

    public var description: String {
        switch self {
        case let .storeMissing(tool, tried):
            return "no \(tool.rawValue) store found (looked in \(tried.joined(separator: ", "))); install \(tool.rawValue) or pass --store FOLDER"
        case let .otherFilesystem(cachePath, store):
            return "\(store) is on another filesystem than \(cachePath); a hard link cannot cross filesystems and link never copies: put the store and the Hugging Face cache on one filesystem, or download there with hf/hubscout"
        case let .unsupported(tool, reason):
            return "\(tool.rawValue) cannot use this model: \(reason)"
        case let .occupied(path, reason):
            return "\(path) already exists and \(reason); remove it or link under another name"
        case let .invalidName(name, reason):
            return "'\(name)' is not a name the tool accepts: \(reason)"
        case let .fileSystem(path, operation, message):
            return "cannot \(operation) \(path): \(message)"
        }
    }
}
