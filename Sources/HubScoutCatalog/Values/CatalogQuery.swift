/// A search over the catalog with every filter of the online search.
public struct CatalogQuery: Sendable, Equatable {
    /// Free text, matched by prefix and stem against id, author, tags and card summary.
    public var text: String?
    /// `pipeline_tag`, e.g. `text-generation`.
    public var task: String?
    /// Owner of the repository (case-insensitive).
    public var author: String?
    /// `library_name`, e.g. `transformers`.
    public var library: String?
    /// License id, e.g. `apache-2.0`.
    public var license: String?
    /// Tags that must all be present.
    public var tags: [String]
    /// true: gated repos only; false: known non-gated only; nil: both (and unknown).
    public var gated: Bool?
    /// Sort key (descending); nil sorts by relevance for text queries and by downloads otherwise.
    public var sort: CatalogSort?
    /// Page size (capped at 10,000).
    public var limit: Int
    /// Rows to skip.
    public var offset: Int
    /// Keep only models whose stored estimate fits this constraint.
    public var fit: FitQuery?

    /// Creates a query; every filter is optional.
    public init(text: String? = nil, task: String? = nil, author: String? = nil, library: String? = nil,
                license: String? = nil, tags: [String] = [], gated: Bool? = nil, sort: CatalogSort? = nil,
                limit: Int = 20, offset: Int = 0, fit: FitQuery? = nil) {
        self.text = text
        self.task = task
        self.author = author
        self.library = library
        self.license = license
        self.tags = tags
        self.gated = gated
        self.sort = sort
        self.limit = limit
        self.offset = offset
        self.fit = fit
    }
}

/// A memory budget a model must fit in.
public struct FitQuery: Sendable, Equatable {
    /// Memory available, in bytes.
    public var budgetBytes: Int64
    /// A precision, or nil for "the best precision that fits" (fp16, then int8, then int4).
    public var precision: FitPrecision?
    /// Context tokens to size the KV cache for; nil uses each estimate's default context.
    public var context: Int?

    /// Creates a fit constraint.
    public init(budgetBytes: Int64, precision: FitPrecision? = nil, context: Int? = nil) {
        self.budgetBytes = budgetBytes
        self.precision = precision
        self.context = context
    }
}
