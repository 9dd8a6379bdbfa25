/// What a user asks a model search for, with the Hub's meaning, online and offline alike.
///
/// The Hub treats library and license as tags (`filter=transformers`, `filter=license:mit`), so a
/// sentence-transformers model tagged `transformers` matches `library: "transformers"`; the local
/// catalog answers the same filter the same way.
public struct ModelFilter: Sendable, Equatable {
    /// Substring of the repo id (case-insensitive).
    public var text: String?
    /// Task (`pipeline_tag`), e.g. `text-generation`.
    public var task: String?
    /// Owner (user or organisation).
    public var author: String?
    /// Library tag, e.g. `transformers`, `gguf`, `mlx`.
    public var library: String?
    /// License id, e.g. `apache-2.0` (a `license:` prefix is accepted and dropped).
    public var license: String? {
        didSet { license = license.map(Self.licenseID) }
    }
    /// Tags that must all be present.
    public var tags: [String]
    /// Gated repos only (true), non-gated only (false), or both (nil).
    public var gated: Bool?
    /// Sort key (descending); nil: relevance for text, else downloads.
    public var sort: ModelSort?
    /// Results wanted in total; nil: all.
    public var limit: Int?

    /// A filter; every field is optional.
    public init(text: String? = nil, task: String? = nil, author: String? = nil, library: String? = nil, license: String? = nil,
                tags: [String] = [], gated: Bool? = nil, sort: ModelSort? = nil, limit: Int? = nil) {
        self.text = text; self.task = task; self.author = author; self.library = library
        self.license = license.map(Self.licenseID)
        self.tags = tags; self.gated = gated; self.sort = sort; self.limit = limit
    }

    /// The tags a matching model carries: the library, `license:<id>`, then `tags` (the Hub's `filter` values).
    public var requiredTags: [String] {
        var values: [String] = []
        if let library { values.append(library) }
        if let license { values.append(Self.licenseTag(license)) }
        values.append(contentsOf: tags)
        return values
    }

    /// `license:<id>` for a license id (the Hub's tag form).
    public static func licenseTag(_ id: String) -> String { "license:" + licenseID(id) }

    /// A license id without a `license:` prefix.
    public static func licenseID(_ text: String) -> String {
        text.hasPrefix("license:") ? String(text.dropFirst("license:".count)) : text
    }
}
