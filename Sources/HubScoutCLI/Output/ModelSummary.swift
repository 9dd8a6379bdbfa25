import Foundation
import HubScoutCatalog
import HubScoutCore

/// The `--json` shape of a model in listings (camelCase, stable keys), the same whether the row came
/// from the Hub or from the local catalog. What the source did not say is `null`, never a default.
struct ModelSummary: Encodable {
    var id: String
    var author: String?
    var pipelineTag: String?
    var libraryName: String?
    var license: String?
    /// false, "auto", "manual", or nil when the source did not say.
    var gated: GatedMode?
    var downloads: Int?
    var likes: Int?
    var parameters: Int64?
    var lastModified: Date?
    var createdAt: Date?
    var tags: [String]

    init(_ model: ModelInfo) {
        self.init(id: model.id, author: model.author, pipelineTag: model.pipelineTag, libraryName: model.libraryName,
                  license: model.license, gated: model.gated, downloads: model.downloads, likes: model.likes,
                  parameters: model.apiParameterCount, lastModified: model.lastModified, createdAt: model.createdAt, tags: model.tags)
    }

    /// A catalog row, with the same keys as a Hub listing row.
    init(_ model: CatalogModel) {
        self.init(id: model.id, author: model.author, pipelineTag: model.pipelineTag, libraryName: model.libraryName,
                  license: model.license, gated: model.gated, downloads: model.downloads, likes: model.likes,
                  parameters: model.parameters?.total, lastModified: model.lastModified, createdAt: model.createdAt, tags: model.tags)
    }

    /// The author defaults to the id's namespace, which always names the owner.
    private init(id: String, author: String?, pipelineTag: String?, libraryName: String?, license: String?, gated: GatedMode?,
                 downloads: Int?, likes: Int?, parameters: Int64?, lastModified: Date?, createdAt: Date?, tags: [String]) {
        self.id = id
        self.author = author ?? id.split(separator: "/").first.map(String.init)
        self.pipelineTag = pipelineTag
        self.libraryName = libraryName
        self.license = license
        self.gated = gated
        self.downloads = downloads
        self.likes = likes
        self.parameters = parameters
        self.lastModified = lastModified
        self.createdAt = createdAt
        self.tags = tags
    }

    enum CodingKeys: String, CodingKey {
        case id, author, pipelineTag, libraryName, license, gated, downloads, likes, parameters, lastModified, createdAt, tags
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(author, forKey: .author)
        try c.encode(pipelineTag, forKey: .pipelineTag)
        try c.encode(libraryName, forKey: .libraryName)
        try c.encode(license, forKey: .license)
        // gated: false | "auto" | "manual", as the Hub says it; null when unknown
        try c.encode(gated, forKey: .gated)
        try c.encode(downloads, forKey: .downloads)
        try c.encode(likes, forKey: .likes)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(lastModified.map(HubDate.format), forKey: .lastModified)
        try c.encode(createdAt.map(HubDate.format), forKey: .createdAt)
        try c.encode(tags, forKey: .tags)
    }
}
