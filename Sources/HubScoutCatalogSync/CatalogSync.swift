import Foundation
import HubScoutCatalog
import HubScoutKit
import HubScoutCore

/// `catalog sync`: pages through the Hub's model listing (most downloaded first) and upserts each page in
/// one transaction. After every page the next-page URL is stored in the sync state under a key naming the
/// filters, so a sync that fails or is interrupted resumes from the page after the last one stored.
public struct CatalogSync: Sendable {
    /// The Hub client.
    public let client: HubClient
    /// The catalog written to.
    public let catalog: Catalog

    /// What to sync.
    public struct Options: Sendable, Equatable {
        /// Only this task (`pipeline_tag`).
        public var task: String?
        /// Only this owner.
        public var author: String?
        /// Models at most (nil: the whole listing).
        public var limit: Int?
        /// Models per page (capped at 1,000, the Hub's largest).
        public var pageSize: Int
        /// Start over even when an unfinished sync left a cursor.
        public var restart: Bool

        /// Creates options.
        public init(task: String? = nil, author: String? = nil, limit: Int? = nil, pageSize: Int = 1000, restart: Bool = false) {
            self.task = task
            self.author = author
            self.limit = limit
            self.pageSize = min(max(1, pageSize), ModelQuery.maxPageSize)
            self.restart = restart
        }
    }

    /// Progress after each stored page.
    public struct Progress: Sendable, Equatable {
        /// Pages stored in this run.
        public var pages: Int
        /// Models stored in this run.
        public var models: Int
        /// Models stored by this sync in all runs (earlier interrupted runs included).
        public var totalModels: Int
        /// True when this run resumed from a stored cursor.
        public var resumed: Bool
        /// True when the listing has more pages (and the limit is not reached).
        public var hasMore: Bool
    }

    /// The fields each listing row asks for (`expand`): everything a search row and the catalog need.
    public static let listingFields = ["author", "pipeline_tag", "library_name", "downloads", "likes", "gated", "private",
                                       "lastModified", "createdAt", "tags", "safetensors", "gguf", "config", "sha", "trendingScore"]

    /// A sync with `client` into `catalog`.
    public init(client: HubClient, catalog: Catalog) {
        self.client = client
        self.catalog = catalog
    }

    /// The sync-state key of `options`: `sync:author=…;task=…` (the limit is not part of it).
    public static func key(for options: Options) -> String {
        var parts: [String] = []
        if let author = options.author { parts.append("author=\(author)") }
        if let task = options.task { parts.append("task=\(task)") }
        return "sync:" + (parts.isEmpty ? "all" : parts.joined(separator: ";"))
    }

    /// The first page's URL.
    func firstURL(_ options: Options) -> String {
        let query = ModelQuery(author: options.author, task: options.task, sort: .downloads,
                               pageSize: min(options.pageSize, options.limit ?? options.pageSize), expand: Self.listingFields)
        return client.url("/api/models", query: query.queryItems)
    }

    /// Runs (or resumes) the sync; throws the Hub error that stopped it, with the cursor kept for the next run.
    @discardableResult
    public func run(_ options: Options = Options(), progress: (@Sendable (Progress) -> Void)? = nil) async throws -> Progress {
        let key = Self.key(for: options)
        var cursor: SyncCursor?
        if !options.restart, let stored = try await catalog.syncState(key: key)?.cursor {
            cursor = SyncCursor(stored)
            // A cursor from another endpoint (HF_ENDPOINT changed) is useless here.
            if let url = cursor?.next, !url.hasPrefix(client.environment.endpoint + "/") { cursor = nil }
        }
        let resumed = cursor != nil
        var state = Progress(pages: 0, models: 0, totalModels: cursor?.stored ?? 0, resumed: resumed, hasMore: true)
        var url: String? = cursor?.next ?? firstURL(options)
        while let pageURL = url {
            if let limit = options.limit, state.totalModels >= limit { break }
            let page = try await client.fetchPage(url: pageURL, as: ModelInfo.self, repo: nil, revision: nil, isFirst: state.pages == 0)
            var items = page.items
            if let limit = options.limit { items = Array(items.prefix(max(0, limit - state.totalModels))) }
            try await catalog.upsert(models: items)
            state.pages += 1
            state.models += items.count
            state.totalModels += items.count
            let next = page.next == pageURL ? nil : page.next
            let reachedLimit = options.limit.map { state.totalModels >= $0 } ?? false
            state.hasMore = next != nil && !reachedLimit && !items.isEmpty
            url = state.hasMore ? next : nil
            // nil cursor = finished; its date is the "last synced" time.
            try await catalog.setSyncState(key: key, cursor: url.map { SyncCursor(next: $0, stored: state.totalModels).encoded })
            progress?(state)
        }
        if state.pages == 0 { try await catalog.setSyncState(key: key, cursor: nil) }
        return state
    }
}

/// What a sync stores to resume: the next-page URL and how many models earlier runs stored (for `--limit`).
struct SyncCursor: Codable, Equatable {
    /// The next page's absolute URL (the Hub's `Link: rel="next"`).
    var next: String
    /// Models stored so far by this sync.
    var stored: Int

    init(next: String, stored: Int) {
        self.next = next
        self.stored = stored
    }

    /// Reads a stored cursor: this JSON, or a bare URL.
    init?(_ text: String) {
        if let data = text.data(using: .utf8), let value = try? SafeJSON.decode(SyncCursor.self, from: data) {
            self = value
        } else if text.hasPrefix("http://") || text.hasPrefix("https://") {
            self.init(next: text, stored: 0)
        } else {
            return nil
        }
    }

    var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? next
    }
}
