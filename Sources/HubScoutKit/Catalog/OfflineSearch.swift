import Foundation
import HubScoutCatalog
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

    /// The filters, as the CLI takes them.
    public struct Options: Sendable, Equatable {
        /// Substring of the repo id.
        public var text: String?
        /// Task (`pipeline_tag`).
        public var task: String?
        /// Owner.
        public var author: String?
        /// Library (`library_name`).
        public var library: String?
        /// License id.
        public var license: String?
        /// Tags that must all be present.
        public var tags: [String]
        /// Gated repos only (true), non-gated only (false), or both (nil).
        public var gated: Bool?
        /// Sort key (descending); nil: relevance for text, else downloads.
        public var sort: ModelSort?
        /// Rows wanted (1…10,000).
        public var limit: Int
        /// Keep only models whose estimate fits.
        public var fit: Fit?

        /// Creates options.
        public init(text: String? = nil, task: String? = nil, author: String? = nil, library: String? = nil, license: String? = nil,
                    tags: [String] = [], gated: Bool? = nil, sort: ModelSort? = nil, limit: Int = 20, fit: Fit? = nil) {
            self.text = text; self.task = task; self.author = author; self.library = library; self.license = license
            self.tags = tags; self.gated = gated; self.sort = sort; self.limit = limit; self.fit = fit
        }

        /// The same filters as an online `ModelQuery` (its limit, or 20).
        public init(_ query: ModelQuery, fit: Fit? = nil) {
            self.init(text: query.search, task: query.task, author: query.author, library: query.library,
                      license: query.license.map { $0.hasPrefix("license:") ? String($0.dropFirst("license:".count)) : $0 },
                      tags: query.tags, gated: query.gated, sort: query.sort, limit: query.limit ?? 20, fit: fit)
        }
    }

    /// A memory constraint (`--fits SIZE|auto --precision --context`).
    public struct Fit: Sendable, Equatable {
        /// Bytes a model may use in total.
        public var budgetBytes: Int64
        /// Precisions allowed (`any`: the best that fits).
        public var precision: SearchPrecision
        /// Context to size the KV cache for; nil: each model's default.
        public var context: Int?

        /// A constraint of `budgetBytes`.
        public init(budgetBytes: Int64, precision: SearchPrecision = .any, context: Int? = nil) {
            self.budgetBytes = budgetBytes
            self.precision = precision
            self.context = context
        }

        /// A constraint from the online search's budget: a literal size as is; detected hardware minus the
        /// policy's margin (1 GiB kept free), as online `--fits auto` does.
        public init(budget: FitBudget, precision: SearchPrecision = .any, context: Int? = nil) {
            var bytes = budget.capacityBytes
            if case .hardware = budget {
                let margin = budget.host.gpus.isEmpty ? budget.policy.ramMarginBytes : budget.policy.gpuMarginBytes
                bytes = max(0, bytes - margin)
            }
            self.init(budgetBytes: bytes, precision: precision, context: context)
        }

        var query: FitQuery {
            let p: FitPrecision? = switch precision {
            case .fp16: .fp16
            case .int8: .int8
            case .int4: .int4
            case .any: nil
            }
            return FitQuery(budgetBytes: budgetBytes, precision: p, context: context)
        }
    }

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

    /// Runs the search.
    public func search(_ options: Options) async throws(CatalogError) -> Result {
        guard (1...Catalog.maxLimit).contains(options.limit) else {
            throw .invalidValue("the limit must be between 1 and \(Catalog.maxLimit)")
        }
        var query = CatalogQuery(task: options.task, author: options.author, tags: Self.tags(options), gated: options.gated,
                                 sort: options.sort.map(Self.sort), limit: options.limit, fit: options.fit?.query)
        var models: [CatalogModel] = []
        if let text = options.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            // Candidates from the full-text index, kept when the id contains the text (the Hub's rule).
            let needle = text.lowercased()
            query.text = text
            query.limit = Self.textPageSize
            var offset = 0
            while models.count < options.limit, offset < Self.maxTextCandidates {
                query.offset = offset
                let page = try await catalog.search(query)
                models += page.filter { $0.id.lowercased().contains(needle) }
                if page.count < Self.textPageSize { break }
                offset += page.count
            }
            models = Array(models.prefix(options.limit))
        } else {
            models = try await catalog.search(query)
        }
        return Result(rows: models.map(Row.init), lastSync: try await catalog.lastSyncDate)
    }

    /// The tags a model must carry. Library and license are tags, as the Hub filters them (`filter=transformers`,
    /// `filter=license:mit`): a sentence-transformers model tagged `transformers` matches `--library transformers`
    /// online, so it must match offline too.
    static func tags(_ options: Options) -> [String] {
        var tags = options.tags
        if let library = options.library { tags.append(library) }
        if let license = options.license { tags.append(license.hasPrefix("license:") ? license : "license:" + license) }
        return tags
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
        default: ago = "\(Int(age / 86_400)) days ago"
        }
        return "showing \(count) \(noun) from the local catalog, last synced \(day) (\(ago))"
    }

    /// The catalog's sort key for an online one.
    static func sort(_ sort: ModelSort) -> CatalogSort {
        switch sort {
        case .downloads: .downloads
        case .likes: .likes
        case .trending: .trending
        case .created: .createdAt
        case .updated: .lastModified
        }
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
