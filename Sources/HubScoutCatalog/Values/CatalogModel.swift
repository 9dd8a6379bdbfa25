import Foundation
import HubScoutCore

/// A model as the catalog knows it: a search result row.
public struct CatalogModel: Sendable, Equatable, Codable {
    /// Canonical repository id (case as last seen).
    public var id: String
    /// Owner.
    public var author: String?
    /// `pipeline_tag`.
    public var pipelineTag: String?
    /// `library_name`.
    public var libraryName: String?
    /// License id.
    public var license: String?
    /// Gating mode, when known.
    public var gated: GatedMode?
    /// Whether the repository is private, when known.
    public var isPrivate: Bool?
    /// Downloads (last 30 days), when known.
    public var downloads: Int?
    /// Likes, when known.
    public var likes: Int?
    /// Trending score, when known.
    public var trendingScore: Double?
    /// Creation date, when known.
    public var createdAt: Date?
    /// Last modification, when known.
    public var lastModified: Date?
    /// Head commit, when known.
    public var sha: String?
    /// Hub tags.
    public var tags: [String]
    /// Card summary, when known.
    public var summary: String?
    /// Parameter count with its source, when known.
    public var parameters: ParameterCount?
    /// The fitting estimate, when the query had a fit constraint.
    public var fit: CatalogFit?
    /// When the catalog first and last saw this model.
    public var firstSeen: Date
    /// When the catalog last saw this model.
    public var lastSeen: Date
}

/// Which precision fits a budget and how the total splits.
public struct CatalogFit: Sendable, Equatable, Codable {
    /// The precision that fits (the best one, for "any").
    public var precision: FitPrecision
    /// Context the KV cache was sized for.
    public var context: Int
    /// Weights bytes.
    public var weightsBytes: Int64
    /// KV-cache bytes at `context`.
    public var kvCacheBytes: Int64
    /// Overhead bytes.
    public var overheadBytes: Int64
    /// Sum of the three.
    public var totalBytes: Int64
}
