/// Sort orders of a model search, online and offline (always descending, as the Hub sorts).
public enum ModelSort: String, Sendable, Codable, CaseIterable, Equatable {
    case downloads, likes
    case trending = "trendingScore"
    case created = "createdAt"
    case updated = "lastModified"

    /// Parses user input: `downloads`, `likes`, `trending`, `created`/`createdAt`, `updated`/`lastModified`.
    public init?(userInput: String) {
        switch userInput.lowercased() {
        case "downloads": self = .downloads
        case "likes": self = .likes
        case "trending", "trendingscore": self = .trending
        case "created", "createdat", "created_at": self = .created
        case "updated", "lastmodified", "last_modified", "modified": self = .updated
        default: return nil
        }
    }

    /// The word users type for it.
    public var userName: String {
        switch self {
        case .downloads: "downloads"
        case .likes: "likes"
        case .trending: "trending"
        case .created: "created"
        case .updated: "updated"
        }
    }
}
