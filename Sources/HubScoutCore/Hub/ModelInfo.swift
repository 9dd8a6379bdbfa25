import Foundation

/// A model as the Hub API describes it (`/api/models` items and `/api/models/{id}`).
/// Every field but `id` is optional: list items carry few fields, `expand` narrows them further,
/// and real payloads hold nulls and surprises. Decoding never fails on an unexpected field type.
public struct ModelInfo: Sendable, Equatable, Codable {
    public var id: String
    public var author: String?
    public var sha: String?
    public var lastModified: Date?
    public var createdAt: Date?
    public var isPrivate: Bool?
    public var disabled: Bool?
    public var gated: GatedMode?
    public var downloads: Int?
    public var downloadsAllTime: Int?
    public var likes: Int?
    public var trendingScore: Double?
    public var libraryName: String?
    public var pipelineTag: String?
    public var tags: [String]
    /// The README front matter as JSON, when requested.
    public var cardData: JSONValue?
    /// The API's config *summary* (architectures, model_type, quantization_config…), not config.json.
    public var config: JSONValue?
    public var siblings: [RepoSibling]?
    public var safetensors: SafetensorsSummary?
    public var gguf: GGUFSummary?
    public var usedStorage: Int64?

    public init(id: String, author: String? = nil, sha: String? = nil, lastModified: Date? = nil, createdAt: Date? = nil,
                isPrivate: Bool? = nil, disabled: Bool? = nil, gated: GatedMode? = nil, downloads: Int? = nil,
                downloadsAllTime: Int? = nil, likes: Int? = nil, trendingScore: Double? = nil, libraryName: String? = nil,
                pipelineTag: String? = nil, tags: [String] = [], cardData: JSONValue? = nil, config: JSONValue? = nil,
                siblings: [RepoSibling]? = nil, safetensors: SafetensorsSummary? = nil, gguf: GGUFSummary? = nil,
                usedStorage: Int64? = nil) {
        self.id = id; self.author = author; self.sha = sha; self.lastModified = lastModified; self.createdAt = createdAt
        self.isPrivate = isPrivate; self.disabled = disabled; self.gated = gated; self.downloads = downloads
        self.downloadsAllTime = downloadsAllTime; self.likes = likes; self.trendingScore = trendingScore
        self.libraryName = libraryName; self.pipelineTag = pipelineTag; self.tags = tags; self.cardData = cardData
        self.config = config; self.siblings = siblings; self.safetensors = safetensors; self.gguf = gguf
        self.usedStorage = usedStorage
    }

    enum CodingKeys: String, CodingKey {
        case id, modelId, author, sha, lastModified, createdAt, isPrivate = "private", disabled, gated, downloads
        case downloadsAllTime, likes, trendingScore, libraryName = "library_name", pipelineTag = "pipeline_tag"
        case tags, cardData, config, siblings, safetensors, gguf, usedStorage
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let id = (try? c.decodeIfPresent(String.self, forKey: .id)) ?? (try? c.decodeIfPresent(String.self, forKey: .modelId)) else {
            throw DecodingError.keyNotFound(CodingKeys.id, .init(codingPath: c.codingPath, debugDescription: "model without id"))
        }
        self.id = id
        author = c.lenient(String.self, .author)
        sha = c.lenient(String.self, .sha)
        lastModified = c.lenient(String.self, .lastModified).flatMap(HubDate.parse)
        createdAt = c.lenient(String.self, .createdAt).flatMap(HubDate.parse)
        isPrivate = c.lenient(Bool.self, .isPrivate)
        disabled = c.lenient(Bool.self, .disabled)
        gated = c.lenient(GatedMode.self, .gated)
        downloads = c.lenient(Int.self, .downloads)
        downloadsAllTime = c.lenient(Int.self, .downloadsAllTime)
        likes = c.lenient(Int.self, .likes)
        trendingScore = c.lenient(Double.self, .trendingScore)
        libraryName = c.lenient(String.self, .libraryName)
        pipelineTag = c.lenient(String.self, .pipelineTag)
        tags = c.lenient([JSONValue].self, .tags)?.compactMap(\.stringValue) ?? []
        cardData = c.lenient(JSONValue.self, .cardData)
        config = c.lenient(JSONValue.self, .config)
        siblings = c.lenient([LenientSibling].self, .siblings)?.compactMap(\.value)
        safetensors = c.lenient(SafetensorsSummary.self, .safetensors)
        gguf = c.lenient(GGUFSummary.self, .gguf)
        usedStorage = c.lenient(Int64.self, .usedStorage)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encodeIfPresent(author, forKey: .author)
        try c.encodeIfPresent(sha, forKey: .sha)
        try c.encodeIfPresent(lastModified.map(HubDate.format), forKey: .lastModified)
        try c.encodeIfPresent(createdAt.map(HubDate.format), forKey: .createdAt)
        try c.encodeIfPresent(isPrivate, forKey: .isPrivate)
        try c.encodeIfPresent(disabled, forKey: .disabled)
        try c.encodeIfPresent(gated, forKey: .gated)
        try c.encodeIfPresent(downloads, forKey: .downloads)
        try c.encodeIfPresent(downloadsAllTime, forKey: .downloadsAllTime)
        try c.encodeIfPresent(likes, forKey: .likes)
        try c.encodeIfPresent(trendingScore, forKey: .trendingScore)
        try c.encodeIfPresent(libraryName, forKey: .libraryName)
        try c.encodeIfPresent(pipelineTag, forKey: .pipelineTag)
        try c.encode(tags, forKey: .tags)
        try c.encodeIfPresent(cardData, forKey: .cardData)
        try c.encodeIfPresent(config, forKey: .config)
        try c.encodeIfPresent(siblings, forKey: .siblings)
        try c.encodeIfPresent(safetensors, forKey: .safetensors)
        try c.encodeIfPresent(gguf, forKey: .gguf)
        try c.encodeIfPresent(usedStorage, forKey: .usedStorage)
    }

    /// The license: card data first, then a `license:` tag.
    public var license: String? {
        if let l = cardData?["license"]?.stringList?.first { return l }
        return tags.first { $0.hasPrefix("license:") }.map(ModelFilter.licenseID)
    }

    /// The architecture class from the config summary (e.g. `LlamaForCausalLM`).
    public var architecture: String? { config?["architectures"]?.stringList?.first }

    /// `model_type` from the config summary.
    public var modelType: String? { config?["model_type"]?.stringValue }

    /// Parameter count reported by the API's safetensors block (stored elements).
    public var apiParameterCount: Int64? { safetensors?.total ?? gguf?.total }
}

/// A sibling entry that decodes to nil instead of failing the whole payload.
private struct LenientSibling: Decodable {
    let value: RepoSibling?
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: RepoSibling.CodingKeys.self)
        guard let path = c.lenient(String.self, .path) else { value = nil; return }
        value = RepoSibling(path: path, size: c.lenient(Int64.self, .size), blobID: c.lenient(String.self, .blobID),
                            lfs: c.lenient(LFSInfo.self, .lfs))
    }
}

extension KeyedDecodingContainer {
    /// Decodes `key` as `T`, or nil when it is missing, null or of another type.
    func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(type, forKey: key)) ?? nil
    }
}
