import HubScoutCore

extension HubScout {
    /// Results a search returns when neither `limit` nor the filter's `limit` says how many.
    public static let defaultSearchLimit = 20

    /// Models matching `filter`, in the filter's sort order (relevance for text, else downloads), at most
    /// `limit` of them (default: the filter's `limit`, else ``defaultSearchLimit``).
    ///
    /// ```swift
    /// let models = try await hub.search(ModelFilter(task: "text-generation", library: "mlx", sort: .downloads), limit: 10)
    /// ```
    ///
    /// - Throws: ``HubError`` when the Hub cannot be reached or refuses the listing.
    public func search(_ filter: ModelFilter = ModelFilter(), limit: Int? = nil) async throws -> [ModelInfo] {
        var bounded = filter
        bounded.limit = max(0, limit ?? filter.limit ?? Self.defaultSearchLimit)
        var models: [ModelInfo] = []
        for try await model in self.models(bounded) { models.append(model) }
        return models
    }

    /// Every model matching `filter` as a lazy sequence: each page is fetched when the previous one is used
    /// up, and iteration stops at the filter's `limit` (nil: the whole listing).
    ///
    /// ```swift
    /// for try await model in hub.models(ModelFilter(author: "mlx-community")) where model.id.hasSuffix("4bit") { … }
    /// ```
    public func models(_ filter: ModelFilter = ModelFilter()) -> HubPages<ModelInfo> {
        client.listModels(ModelQuery(filter, expand: ModelQuery.listingFields))
    }

    /// Models matching `filter` that fit `target`, each with the best precision that does: the listing is
    /// paged until `limit` models fit (default: the filter's `limit`, else ``defaultSearchLimit``) or
    /// ``FitSearch/defaultMaxPages`` pages were read. This is `hubscout search --fits`.
    ///
    /// A model is sized from its `config.json` (never its weights). One whose API parameter count alone
    /// proves it too large is dropped without a request; one that cannot be sized is listed in
    /// ``FitSearchResult/skipped`` with the reason.
    ///
    /// ```swift
    /// let result = try await hub.search(ModelFilter(task: "text-generation"), fitting: .budget(16_000_000_000))
    /// for match in result.matches { print(match.model.id, match.format, match.totalBytes) }
    /// ```
    ///
    /// - Parameters:
    ///   - filter: what to look for; its `limit` is the number of fitting models wanted.
    ///   - target: the memory every model must fit.
    ///   - precision: the one precision allowed, or nil for the best of fp16, int8 and int4 that fits.
    ///   - options: context, batch, KV cache type and engine every model is sized with.
    ///   - limit: fitting models wanted; overrides the filter's `limit`.
    /// - Throws: ``HubError`` when the listing fails.
    public func search(_ filter: ModelFilter = ModelFilter(), fitting target: FitTarget, precision: FitPrecision? = nil,
                       options: EstimateOptions = EstimateOptions(), limit: Int? = nil) async throws -> FitSearchResult {
        var unbounded = filter
        unbounded.limit = nil
        let search = FitSearch(client: client, query: ModelQuery(unbounded, expand: ModelQuery.listingFields),
                               budget: await target.budget(detector: hardware), precision: precision, options: options,
                               limit: limit ?? filter.limit ?? Self.defaultSearchLimit)
        return try await search.run()
    }
}
