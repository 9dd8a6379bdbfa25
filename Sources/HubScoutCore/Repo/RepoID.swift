/// A Hub repository id: `namespace/name`, or a legacy single-segment id such as `gpt2`.
public struct RepoID: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The owner (user or organisation); nil for legacy single-segment ids.
    public let namespace: String?
    /// The repository name.
    public let name: String

    /// Parses and validates `namespace/name`; rejects empty parts, `--`, `..`, and characters the Hub never uses.
    public init(_ string: String) throws(RepoIDError) {
        let parts = string.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count) else { throw .invalid(string, reason: "expected ORG/NAME") }
        for part in parts {
            guard !part.isEmpty else { throw .invalid(string, reason: "empty part") }
            guard part.count <= 96 else { throw .invalid(string, reason: "a part is longer than 96 characters") }
            guard !part.contains("--"), part != ".", part != "..", !part.hasPrefix("."), !part.hasSuffix(".") || part.count > 1 else {
                throw .invalid(string, reason: "'--', '.' and '..' are not allowed")
            }
            guard part.unicodeScalars.allSatisfy({ RepoID.allowed.contains($0) }) else {
                throw .invalid(string, reason: "only letters, digits, '-', '_' and '.' are allowed")
            }
        }
        if parts.count == 2 { namespace = parts[0]; name = parts[1] } else { namespace = nil; name = parts[0] }
    }

    /// Builds an id from parts already known to be valid (e.g. a cache folder name).
    public init(namespace: String?, name: String) {
        self.namespace = namespace
        self.name = name
    }

    private static let allowed: Set<Unicode.Scalar> = {
        var set = Set<Unicode.Scalar>()
        for s in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.".unicodeScalars { set.insert(s) }
        return set
    }()

    /// `namespace/name` (or just `name`).
    public var description: String { namespace.map { "\($0)/\(name)" } ?? name }

    /// The folder name huggingface_hub uses in its cache: `models--org--name`.
    public var cacheFolderName: String {
        "models--" + description.replacingOccurrences(of: "/", with: "--")
    }

    /// Parses a cache folder name such as `models--org--name` back into an id.
    public init?(cacheFolderName: String) {
        guard cacheFolderName.hasPrefix("models--") else { return nil }
        let rest = String(cacheFolderName.dropFirst("models--".count))
        let parts = rest.components(separatedBy: "--")
        switch parts.count {
        case 1 where !parts[0].isEmpty: self.init(namespace: nil, name: parts[0])
        case 2 where !parts[0].isEmpty && !parts[1].isEmpty: self.init(namespace: parts[0], name: parts[1])
        default: return nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let string = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(string) } catch { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public static func < (lhs: RepoID, rhs: RepoID) -> Bool { lhs.description < rhs.description }

    /// Case-insensitive comparison, as the Hub resolves ids.
    public func matchesIgnoringCase(_ other: RepoID) -> Bool {
        description.lowercased() == other.description.lowercased()
    }
}

/// Why a string is not a valid repository id.
public enum RepoIDError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String, reason: String)

    public var description: String {
        switch self {
        case let .invalid(string, reason): "'\(string)' is not a valid repository id (\(reason)); use ORG/NAME, e.g. Qwen/Qwen2.5-0.5B"
        }
    }
}
