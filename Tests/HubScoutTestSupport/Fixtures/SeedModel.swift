/// A real model's public facts, used to build a realistic fixture repository.
public struct SeedModel: Sendable, Equatable {
    /// The real repo id.
    public var id: String
    /// The task (`pipeline_tag`).
    public var pipelineTag: String?
    /// The library (`library_name`).
    public var libraryName: String?
    /// The card's license id.
    public var license: String
    /// `"auto"`/`"manual"`, nil when not gated.
    public var gated: String?
    /// Downloads at recording time.
    public var downloads: Int
    /// Likes at recording time.
    public var likes: Int
    /// Tags the card lists.
    public var cardTags: [String]
    /// Datasets the card names.
    public var datasets: [String]
    /// Base models the card names.
    public var baseModels: [String]
    /// Hub-computed tags with a prefix (`arxiv:`, `region:`…), kept in the sidecar.
    public var hubTags: [String]
    /// First `architectures` entry of config.json.
    public var architecture: String?
    /// `model_type` of config.json.
    public var modelType: String?
    /// The API's `safetensors.parameters`, when the model has safetensors weights.
    public var parameters: [String: Int64]?
    /// The API's `lastModified`.
    public var lastModified: String

    /// Creates a seed.
    public init(id: String, pipelineTag: String?, libraryName: String?, license: String, gated: String?, downloads: Int,
                likes: Int, cardTags: [String], datasets: [String], baseModels: [String], hubTags: [String],
                architecture: String?, modelType: String?, parameters: [String: Int64]?, lastModified: String) {
        self.id = id; self.pipelineTag = pipelineTag; self.libraryName = libraryName; self.license = license
        self.gated = gated; self.downloads = downloads; self.likes = likes; self.cardTags = cardTags
        self.datasets = datasets; self.baseModels = baseModels; self.hubTags = hubTags; self.architecture = architecture
        self.modelType = modelType; self.parameters = parameters; self.lastModified = lastModified
    }

    /// A deterministic trending score (the seeds carry none): downloads modulo a prime.
    public var trendingScore: Int { downloads % 997 }

    /// A deterministic creation date before `lastModified` (the seeds carry none): `likes % 400` days earlier.
    public var createdAt: String {
        guard let date = HubDate.parse(lastModified) else { return lastModified }
        return HubDate.format(date.addingTimeInterval(-Double(likes % 400 + 1) * 86_400))
    }
}

import HubScoutCore
