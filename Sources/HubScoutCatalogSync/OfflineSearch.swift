import Foundation
import HubScoutCatalog
import HubScoutKit
import HubScoutCore

/// `search --offline` (and the automatic fallback when the Hub is unreachable): the online search's
/// filters answered from the local catalog.
///
/// Filters mean what they mean online: text is a case-insensitive substring of the repo id (the catalog's
/// full-text index finds candidates, each is then checked against the id, as the Hub does); library and
/// license are tags (`transformers`, `license:mit`), as the Hub's `filter` treats them; task, author, tags
/// and gated match exactly; sort is descending. `--fits` uses the estimates stored at
/// import/inspection time, at the query's context or each model's default (8k capped at its trained context).
public struct OfflineSearch: Sendable {
    /// The catalog searched.
    public let catalog: Catalog

    /// A search over `catalog`.
    public init(catalog: Catalog) { self.catalog = catalog }

    /// One result row: what the search table and JSON show.
    public struct Row: Sendable, Equatable {
        /// Repository id.
        public var id: String
        /// Task.
        public var task: String?
        /// Parameter count, when known.
        public var parameters: Int64?
        /// Downloads (30 days), when known.
        public var downloads: Int?
        /// Likes, when known.
        public var likes: Int?
        /// Gating mode, when known.
        public var gated: GatedMode?
        /// Last modification (else creation) date, when known.
        public var lastModified: Date?
        /// The precision that fits, with `fit`.
        public var fitPrecision: FitPrecision?
        /// The total bytes at that precision, with `fit`.
        public var fitTotalBytes: Int64?
        /// Everything the catalog returned for the row.
        public var model: CatalogModel

        init(_ model: CatalogModel) {
            id = model.id
            task = model.pipelineTag
            parameters = model.parameters?.total
            downloads = model.downloads
            likes = model.likes
            gated = model.gated
            lastModified = model.lastModified ?? model.createdAt
            fitPrecision = model.fit?.precision
            fitTotalBytes = model.fit?.totalBytes
            self.model = model
        }
    }

    /// Rows and how old the data is.
    public struct Result: Sendable, Equatable {
        /// Matching models, in order.
        public var rows: [Row]
        /// The latest sync or snapshot date of the catalog.
        public var lastSync: Date?
        /// `showing N models from the local catalog, last synced …`.
        public var lastSyncDescription: String {
            OfflineSearch.lastSyncDescription(count: rows.count, lastSync: lastSync)
        }
    }

    /// How many catalog rows one text page fetches while checking ids.
    static let textPageSize = 500
    /// Most catalog rows a text search examines.
    static let maxTextCandidates = 50_000

    /// Runs the search: `filter` with the Hub's meaning (text is a substring of the repo id), over the
    /// catalog; with `fit`, only models whose stored estimate fits.
    public func search(_ filter: ModelFilter, fit: FitConstraint? = nil) async throws(CatalogError) -> Result {
        let limit = filter.limit ?? Catalog.defaultLimit
        guard (1...Catalog.maxLimit).contains(limit) else {
            throw .invalidValue("the limit must be between 1 and \(Catalog.maxLimit)")
        }
        var query = filter
        query.limit = limit
        var models: [CatalogModel] = []
        if let text = filter.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            // Candidates from the full-text index, kept when the id contains the text (the Hub's rule).
            let needle = text.lowercased()
            query.text = text
            query.limit = Self.textPageSize
            var offset = 0
            while models.count < limit, offset < Self.maxTextCandidates {
                let page = try await catalog.search(query, fit: fit, offset: offset)
                models += page.filter { $0.id.lowercased().contains(needle) }
                if page.count < Self.textPageSize { break }
                offset += page.count
            }
            models = Array(models.prefix(limit))
        } else {
            query.text = nil
            models = try await catalog.search(query, fit: fit)
        }
        return Result(rows: models.map(Row.init), lastSync: try await catalog.lastSyncDate)
    }

    /// `showing 3 models from the local catalog, last synced 2025-03-21 (20 days ago)`.
    public static func lastSyncDescription(count: Int, lastSync: Date?, now: Date = Date()) -> String {
        let noun = count == 1 ? "model" : "models"
        guard let lastSync else { return "showing \(count) \(noun) from the local catalog, never synced (run hubscout catalog sync)" }
        let day = String(HubDate.format(lastSync).prefix(10))
        let age = now.timeIntervalSince(lastSync)
        let ago: String
        switch age {
        case ..<60: ago = "just now"
        case ..<3600: ago = "\(Int(age / 60)) min ago"
        case ..<86_400: ago = "\(Int(age / 3600)) h ago"
        default: ago = Int(age / 86_400) == 1 ? "1 day ago" : "\(Int(age / 86_400)) days ago"
        }
        return "showing \(count) \(noun) from the local catalog, last synced \(day) (\(ago))"
    }

    /// True when `error` means the Hub could not be reached (connection, timeout, offline mode, 5xx after retries),
    /// so a search should fall back to the catalog; false for answers the catalog cannot improve (bad token, 404…).
    public static func shouldFallBack(after error: any Error) -> Bool {
        guard let hub = error as? HubError else { return false }
        switch hub {
        case .network, .offline, .serverError, .rateLimited: return true
        default: return false
        }
    }
}
