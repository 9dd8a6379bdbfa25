/// A model search: what `GET /api/models` takes. Library, license and tags travel as `filter` values.
public struct ModelQuery: Sendable, Equatable {
    /// Substring of the repo id.
    public var search: String?
    public var author: String?
    /// Task, sent as `pipeline_tag`.
    public var task: String?
    public var library: String?
    public var license: String?
    /// Tags that must all be present.
    public var tags: [String]
    public var gated: Bool?
    public var sort: ModelSort?
    /// Results wanted in total (nil: all).
    public var limit: Int?
    /// Items per page; default `limit`, capped at `maxPageSize`.
    public var pageSize: Int?
    /// Fields to request with `expand` (narrows the answer to these).
    public var expand: [String]
    /// Ask for the full item (`full=true`).
    public var full: Bool
    public var includeConfig: Bool
    public var includeCardData: Bool

    /// The largest page we ask for.
    public static let maxPageSize = 1000

    public init(search: String? = nil, author: String? = nil, task: String? = nil, library: String? = nil,
                license: String? = nil, tags: [String] = [], gated: Bool? = nil, sort: ModelSort? = nil, limit: Int? = nil,
                pageSize: Int? = nil, expand: [String] = [], full: Bool = false, includeConfig: Bool = false, includeCardData: Bool = false) {
        self.search = search; self.author = author; self.task = task; self.library = library; self.license = license
        self.tags = tags; self.gated = gated; self.sort = sort; self.limit = limit; self.pageSize = pageSize; self.expand = expand; self.full = full
        self.includeConfig = includeConfig; self.includeCardData = includeCardData
    }

    /// The `filter` values: library, `license:x` and tags.
    public var filters: [String] {
        var values: [String] = []
        if let library { values.append(library) }
        if let license { values.append(license.hasPrefix("license:") ? license : "license:\(license)") }
        values.append(contentsOf: tags)
        return values
    }

    /// Query items in the order the Hub's own clients send them.
    public var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let search, !search.isEmpty { items.append(("search", search)) }
        if let author { items.append(("author", author)) }
        for filter in filters { items.append(("filter", filter)) }
        if let task { items.append(("pipeline_tag", task)) }
        if let gated { items.append(("gated", gated ? "true" : "false")) }
        if let sort { items.append(("sort", sort.rawValue)) }
        if let size = pageSize ?? limit { items.append(("limit", String(min(max(size, 1), Self.maxPageSize)))) }
        for key in expand { items.append(("expand", key)) }
        if expand.isEmpty {
            if full { items.append(("full", "true")) }
            if includeConfig { items.append(("config", "true")) }
            if includeCardData { items.append(("cardData", "true")) }
        }
        return items
    }
}

/// Sort orders of the model listing (always descending).
public enum ModelSort: String, Sendable, CaseIterable, Equatable {
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
}
