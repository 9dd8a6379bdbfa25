/// Sort keys of a catalog search, all descending (as the Hub sorts).
public enum CatalogSort: String, Sendable, Codable, CaseIterable {
    case downloads
    case likes
    case trending
    case createdAt
    case lastModified

    /// The models column it orders by.
    var column: String {
        switch self {
        case .downloads: "downloads"
        case .likes: "likes"
        case .trending: "trending"
        case .createdAt: "created_at"
        case .lastModified: "last_modified"
        }
    }
}
