import Foundation
import Hummingbird
import HubScoutCore

extension APIResponder {
    /// Sort keys `/api/models` accepts (snake_case spellings map to them), always descending.
    static let sortKeys: [String: String] = [
        "downloads": "downloads", "likes": "likes", "createdAt": "createdAt", "created_at": "createdAt",
        "lastModified": "lastModified", "last_modified": "lastModified", "trendingScore": "trendingScore",
        "trending_score": "trendingScore", "id": "id",
    ]

    /// Fields of a list item without `expand`/`full` (as the Hub sends them).
    static let defaultListKeys = ["_id", "id", "likes", "trendingScore", "private", "downloads", "tags", "pipeline_tag",
                                  "library_name", "createdAt", "modelId"]
    /// Fields `full=true` adds.
    static let fullListKeys = ["author", "sha", "lastModified", "gated", "disabled", "siblings"]

    /// `GET /api/models`: search, author, filter (all must match), pipeline_tag, gated, sort, limit, expand, full, config, cardData,
    /// cursor pagination with an absolute `Link`. `library=`/`language=`/`license=`/`tags=` are folded into `filter` as clients do.
    func listModels(_ exchange: Exchange) async throws -> Response {
        let query = exchange.query
        let sortKey: String
        if let requested = query["sort"], !requested.isEmpty {
            guard let key = Self.sortKeys[requested] else {
                return HubErrorResponse.badRequest("Invalid sort parameter '\(requested)': use downloads, likes, createdAt, lastModified or trendingScore").response(head: exchange.head)
            }
            sortKey = key
        } else {
            sortKey = "trendingScore"
        }
        var limit = configuration.defaultListLimit
        if let text = query["limit"] {
            guard let value = Int(text), value > 0 else {
                return HubErrorResponse.badRequest("Invalid limit '\(text)': use a positive integer").response(head: exchange.head)
            }
            limit = min(value, configuration.maxListLimit)
        }
        guard let cursor = PageCursor.from(query: query["cursor"]) else {
            return HubErrorResponse.invalidCursor.response(head: exchange.head)
        }
        let expand = query.all("expand")
        if let unknown = expand.first(where: { !ModelView.expandableKeys.contains($0) }) {
            return HubErrorResponse.badRequest("Invalid expand value '\(unknown)'").response(head: exchange.head)
        }

        let searches = query.all("search").map { $0.lowercased() }
        let author = query["author"]?.lowercased()
        var filters = query.all("filter") + query.all("library") + query.all("language") + query.all("tags")
        filters += query.all("license").map { $0.hasPrefix("license:") ? $0 : "license:" + $0 }
        let wantedFilters = filters.map { $0.lowercased() }
        let pipelineTag = query["pipeline_tag"]?.lowercased()
        let gatedFilter = query["gated"].map { $0.lowercased() == "true" }

        var views: [ModelView] = []
        for repository in try await storage.repositories() where exchange.identity.maySee(repository) {
            let id = repository.id.description.lowercased()
            if let author, (repository.id.namespace ?? "").lowercased() != author { continue }
            if !searches.allSatisfy({ id.contains($0) }) { continue }
            if let gatedFilter, repository.gated.isGated != gatedFilter { continue }
            guard let commit = repository.headCommit else { continue }
            let view = ModelView(repository: repository, snapshot: try await storage.snapshot(of: repository, commit: commit))
            if let pipelineTag, view.pipelineTag?.lowercased() != pipelineTag { continue }
            if !wantedFilters.isEmpty {
                let tags = Set(view.tags.map { $0.lowercased() } + [id])
                if !wantedFilters.allSatisfy(tags.contains) { continue }
            }
            views.append(view)
        }
        views.sort { Self.precedes($0, $1, by: sortKey) }

        let (range, next) = cursor.page(limit: limit, count: views.count)
        let page = views[range]
        let full = query.flag("full")
        let items = page.map { view -> OrderedObject in
            var object = view.fullObject(blobs: false)
            if !expand.isEmpty {
                object.retain(Set(["_id", "id"] + expand))
            } else {
                var keep = Self.defaultListKeys
                if full { keep += Self.fullListKeys }
                if query.flag("config") { keep.append("config") }
                if query.flag("cardData") { keep.append("cardData") }
                object.retain(Set(keep))
            }
            return object
        }
        var headers = HTTPFields()
        if let next {
            headers[HubHeader.link] = Self.nextLink(base: exchange.base, path: "/api/models", query: query, cursor: next)
        }
        return HubResponses.json(JSONWriter.write(items), headers: headers, head: exchange.head)
    }

    /// Descending by `key`, ties broken by id so pages never overlap.
    static func precedes(_ a: ModelView, _ b: ModelView, by key: String) -> Bool {
        func compare<T: Comparable>(_ x: T, _ y: T) -> Bool? { x == y ? nil : x > y }
        let decided: Bool?
        switch key {
        case "downloads": decided = compare(a.facts.downloads ?? 0, b.facts.downloads ?? 0)
        case "likes": decided = compare(a.facts.likes ?? 0, b.facts.likes ?? 0)
        case "createdAt": decided = compare(a.repository.createdAt, b.repository.createdAt)
        case "lastModified": decided = compare(a.repository.lastModified, b.repository.lastModified)
        case "id": decided = nil
        default: decided = compare(a.facts.trendingScore ?? 0, b.facts.trendingScore ?? 0)
        }
        return decided ?? (a.id.lowercased() < b.id.lowercased())
    }
}
