import HubScoutCore

/// Everything the catalog holds about one model.
public struct CatalogModelDetail: Sendable, Equatable {
    /// The model row.
    public var model: CatalogModel
    /// Card facts, when recorded.
    public var card: CardFacts?
    /// Normalised config facts, when recorded.
    public var config: ModelConfig?
    /// Files per revision.
    public var files: [CatalogFile]
    /// Stored memory estimates, best precision first.
    public var estimates: [CatalogEstimate]
    /// Local snapshots on this machine.
    public var snapshots: [LocalSnapshot]
}
