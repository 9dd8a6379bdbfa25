import HubScoutCore

/// The facts of a model card the catalog keeps (the caller parses the card).
public struct CardFacts: Sendable, Equatable, Codable {
    /// A short clean summary of the card body; indexed for full-text search.
    public var summary: String?
    /// `license` from the front matter.
    public var license: String?
    /// `base_model` entries.
    public var baseModels: [String]
    /// `datasets` entries.
    public var datasets: [String]
    /// `language` entries.
    public var languages: [String]
    /// `model-index` evaluation results as JSON (kept verbatim).
    public var evalResults: JSONValue?

    /// Creates card facts.
    public init(summary: String? = nil, license: String? = nil, baseModels: [String] = [], datasets: [String] = [],
                languages: [String] = [], evalResults: JSONValue? = nil) {
        self.summary = summary
        self.license = license
        self.baseModels = baseModels
        self.datasets = datasets
        self.languages = languages
        self.evalResults = evalResults
    }
}
