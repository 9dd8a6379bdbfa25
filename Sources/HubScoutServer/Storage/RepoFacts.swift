import HubScoutCore

/// What a cache cannot know about a repository, read from the sidecar's `repos` entry.
/// Every field is optional; a missing field keeps the value derived from the files (or the default).
public struct RepoFacts: Sendable, Equatable, Codable {
    /// Downloads over the last 30 days (default 0).
    public var downloads: Int?
    /// Likes (default 0).
    public var likes: Int?
    /// Trending score, the default sort of `/api/models` (default 0).
    public var trendingScore: Int?
    /// Gating: `false`, `"auto"` or `"manual"` (`true` reads as `"auto"`).
    public var gated: GatedMode?
    /// Private repositories are visible only to tokens that list them (or own their namespace).
    public var isPrivate: Bool?
    /// Overrides the card's `pipeline_tag`.
    public var pipelineTag: String?
    /// Overrides the card's `library_name`.
    public var libraryName: String?
    /// ISO-8601 creation date (`2024-07-18T08:56:00.000Z`).
    public var createdAt: String?
    /// ISO-8601 last-modification date.
    public var lastModified: String?
    /// The API's `safetensors` block.
    public var safetensors: SafetensorsSummary?
    /// Bytes used by all revisions (`usedStorage`); default: the sum of the blobs.
    public var usedStorage: Int64?
    /// Extra Hub-computed tags appended to the card-derived ones (`region:us`, `endpoints_compatible`…).
    public var tags: [String]?
    /// Ref names under `refs/` that are tags rather than branches (the cache does not say).
    public var gitTags: [String]?
    /// A fixed `_id` (24 hex); default: derived from the lower-cased id.
    public var objectID: String?
    /// Keys merged over the computed model info (a recorded real body can go here whole).
    public var overrides: [String: JSONValue]?

    /// Creates facts; every argument defaults to "not stated".
    public init(downloads: Int? = nil, likes: Int? = nil, trendingScore: Int? = nil, gated: GatedMode? = nil,
                isPrivate: Bool? = nil, pipelineTag: String? = nil, libraryName: String? = nil, createdAt: String? = nil,
                lastModified: String? = nil, safetensors: SafetensorsSummary? = nil, usedStorage: Int64? = nil,
                tags: [String]? = nil, gitTags: [String]? = nil, objectID: String? = nil, overrides: [String: JSONValue]? = nil) {
        self.downloads = downloads; self.likes = likes; self.trendingScore = trendingScore; self.gated = gated
        self.isPrivate = isPrivate; self.pipelineTag = pipelineTag; self.libraryName = libraryName
        self.createdAt = createdAt; self.lastModified = lastModified; self.safetensors = safetensors
        self.usedStorage = usedStorage; self.tags = tags; self.gitTags = gitTags; self.objectID = objectID
        self.overrides = overrides
    }

    enum CodingKeys: String, CodingKey {
        case downloads, likes, trendingScore, gated, isPrivate = "private", pipelineTag = "pipeline_tag"
        case libraryName = "library_name", createdAt, lastModified, safetensors, usedStorage, tags, gitTags
        case objectID = "_id", overrides
    }
}
