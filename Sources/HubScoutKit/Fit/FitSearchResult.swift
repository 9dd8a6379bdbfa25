import HubScoutCore

/// A listing row that fits the budget, with the best precision that does.
public struct FitSearchMatch: Sendable {
    /// The model as the listing returned it.
    public var model: ModelInfo
    /// The highest-fidelity format (of those searched) that fits.
    public var format: WeightFormat
    /// Where it fits in that format.
    public var verdict: FitVerdict.Kind
    /// Weights + KV cache + overhead in that format, in bytes.
    public var totalBytes: Int64
    /// The parameter count the estimate started from.
    public var parameters: ParameterCount?
    /// For a GGUF repository, the file meant (the first part of a split one); `format` names its quantization.
    public var file: String?

    /// Creates a match.
    public init(model: ModelInfo, format: WeightFormat, verdict: FitVerdict.Kind, totalBytes: Int64, parameters: ParameterCount?,
                file: String? = nil) {
        self.model = model; self.format = format; self.verdict = verdict; self.totalBytes = totalBytes; self.parameters = parameters
        self.file = file
    }
}

/// A model the search could not size, and why.
public struct FitSearchSkip: Sendable, Equatable {
    /// Repo id.
    public var id: String
    /// Why no estimate was made (no config, unknown architecture, not accessible…).
    public var reason: String

    /// Creates a skip record.
    public init(id: String, reason: String) { self.id = id; self.reason = reason }
}

/// What `FitSearch.run` found and how much of the listing it read.
public struct FitSearchResult: Sendable {
    /// Fitting models in listing order, at most the requested limit.
    public var matches: [FitSearchMatch] = []
    /// Listing rows read (fitting, too large and skipped).
    public var modelsChecked = 0
    /// Listing pages fetched.
    public var pagesFetched = 0
    /// Models whose config was fetched.
    public var modelsInspected = 0
    /// Models that could not be sized.
    public var skipped: [FitSearchSkip] = []
    /// Ids of models sized and found too large in every searched precision.
    public var tooLarge: [String] = []
    /// Of `tooLarge`, how many were dropped from their API parameter count alone, without fetching anything.
    public var droppedByParameterCount = 0
    /// True when the search stopped at the page cap with fewer matches than asked for.
    public var pageCapReached = false

    /// Creates an empty result.
    public init() {}
}
