import Foundation

/// The known keys of a model card's YAML front matter (the API mirrors them as `cardData`).
/// Values that may be one or many come back as lists; keys of the wrong type are left out.
public struct CardMetadata: Sendable, Equatable, Codable {
    /// `license`: usually one id (`apache-2.0`, `other`…), sometimes a list.
    public var licenses: [String]
    /// `license_name`, used with `license: other`.
    public var licenseName: String?
    /// `license_link`: a URL or a file in the repository (`LICENSE`).
    public var licenseLink: String?
    /// `pipeline_tag` (e.g. `text-generation`).
    public var pipelineTag: String?
    /// `library_name` (e.g. `transformers`, `gguf`).
    public var libraryName: String?
    /// `tags`.
    public var tags: [String]
    /// `language` (or the old `languages`): ISO 639 codes kept as written (`no` stays Norwegian).
    public var languages: [String]
    /// `datasets`.
    public var datasets: [String]
    /// `base_model`: one, or several for merges.
    public var baseModels: [String]
    /// `base_model_relation` (`finetune`, `adapter`, `quantized`, `merge`).
    public var baseModelRelation: String?
    /// `gated` as written (`true`, `auto`, `manual`).
    public var gated: String?
    /// Flattened `model-index` results.
    public var evalResults: [EvalResult]
    /// `extra_gated_*` keys.
    public var gating: GatingInfo

    /// Creates metadata from its parts.
    public init(licenses: [String] = [], licenseName: String? = nil, licenseLink: String? = nil, pipelineTag: String? = nil,
                libraryName: String? = nil, tags: [String] = [], languages: [String] = [], datasets: [String] = [],
                baseModels: [String] = [], baseModelRelation: String? = nil, gated: String? = nil,
                evalResults: [EvalResult] = [], gating: GatingInfo = GatingInfo()) {
        self.licenses = licenses; self.licenseName = licenseName; self.licenseLink = licenseLink
        self.pipelineTag = pipelineTag; self.libraryName = libraryName; self.tags = tags; self.languages = languages
        self.datasets = datasets; self.baseModels = baseModels; self.baseModelRelation = baseModelRelation
        self.gated = gated; self.evalResults = evalResults; self.gating = gating
    }

    /// The first licence id, the one to show.
    public var license: String? { licenses.first }
    /// The first base model.
    public var baseModel: String? { baseModels.first }

    /// Decodes leniently from a front matter mapping (YAML) or `cardData` (JSON): a key of the wrong type is skipped.
    public init(from decoder: any Decoder) throws {
        guard let c = try? decoder.container(keyedBy: CardCodingKey.self) else {
            self.init()
            return
        }
        func key(_ s: String) -> CardCodingKey { CardCodingKey(s) }
        self.init(
            licenses: c.lenientStrings(key("license")) ?? [],
            licenseName: c.lenient(String.self, key("license_name")),
            licenseLink: c.lenient(String.self, key("license_link")),
            pipelineTag: c.lenient(String.self, key("pipeline_tag")),
            libraryName: c.lenient(String.self, key("library_name")),
            tags: c.lenientStrings(key("tags")) ?? [],
            languages: c.lenientStrings(key("language")) ?? c.lenientStrings(key("languages")) ?? [],
            datasets: c.lenientStrings(key("datasets")) ?? [],
            baseModels: c.lenientStrings(key("base_model")) ?? [],
            baseModelRelation: c.lenient(String.self, key("base_model_relation")),
            gated: c.lenient(String.self, key("gated")) ?? c.lenient(Bool.self, key("gated")).map { $0 ? "true" : "false" },
            evalResults: ModelIndexDecoder(from: c, key: key("model-index")).results,
            gating: GatingInfo(from: c))
    }

    /// Reads the API's `cardData` (JSON) into the same typed view.
    public init(cardData: JSONValue) {
        guard let data = try? JSONEncoder().encode(cardData),
              let decoded = try? SafeJSON.decode(CardMetadata.self, from: data) else {
            self.init()
            return
        }
        self = decoded
    }
}
