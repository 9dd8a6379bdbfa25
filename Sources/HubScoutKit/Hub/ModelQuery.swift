import HubScoutCore

/// A model listing request: a `ModelFilter` plus what `GET /api/models` needs to page and shape its answer.
public struct ModelQuery: Sendable, Equatable {
    /// What to look for; library, license and tags travel as `filter` values.
    public var filter: ModelFilter
    /// Items per page; default the filter's limit, capped at `maxPageSize`.
    public var pageSize: Int?
    /// Fields to request with `expand` (narrows the answer to these).
    public var expand: [String]
    /// Ask for the full item (`full=true`).
    public var full: Bool
    public var includeConfig: Bool
    public var includeCardData: Bool

    /// The largest page we ask for.
    public static let maxPageSize = 1000

    /// The fields a search row asks for with `expand`: what a listing shows, plus the parameter count
    /// that lets a fit search drop models too large without fetching anything.
    public static let listingFields = ["author", "pipeline_tag", "library_name", "downloads", "likes", "gated", "lastModified",
                                       "createdAt", "tags", "safetensors", "cardData", "private", "trendingScore"]

    /// A listing of `filter`.
    public init(_ filter: ModelFilter, pageSize: Int? = nil, expand: [String] = [], full: Bool = false,
                includeConfig: Bool = false, includeCardData: Bool = false) {
        self.filter = filter; self.pageSize = pageSize; self.expand = expand; self.full = full
        self.includeConfig = includeConfig; self.includeCardData = includeCardData
    }

    /// A listing with the filter's fields given one by one.
    public init(search: String? = nil, author: String? = nil, task: String? = nil, library: String? = nil,
                license: String? = nil, tags: [String] = [], gated: Bool? = nil, sort: ModelSort? = nil, limit: Int? = nil,
                pageSize: Int? = nil, expand: [String] = [], full: Bool = false, includeConfig: Bool = false, includeCardData: Bool = false) {
        self.init(ModelFilter(text: search, task: task, author: author, library: library, license: license, tags: tags,
                              gated: gated, sort: sort, limit: limit),
                  pageSize: pageSize, expand: expand, full: full, includeConfig: includeConfig, includeCardData: includeCardData)
    }

    /// Results wanted in total (nil: all).
    public var limit: Int? {
        get { filter.limit }
        set { filter.limit = newValue }
    }

    /// Query items in the order the Hub's own clients send them.
    public var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let search = filter.text, !search.isEmpty { items.append(("search", search)) }
        if let author = filter.author { items.append(("author", author)) }
        for value in filter.requiredTags { items.append(("filter", value)) }
        if let task = filter.task { items.append(("pipeline_tag", task)) }
        if let gated = filter.gated { items.append(("gated", gated ? "true" : "false")) }
        if let sort = filter.sort { items.append(("sort", sort.rawValue)) }
        if let size = pageSize ?? filter.limit { items.append(("limit", String(min(max(size, 1), Self.maxPageSize)))) }
        for key in expand { items.append(("expand", key)) }
        if expand.isEmpty {
            if full { items.append(("full", "true")) }
            if includeConfig { items.append(("config", "true")) }
            if includeCardData { items.append(("cardData", "true")) }
        }
        return items
    }
}
