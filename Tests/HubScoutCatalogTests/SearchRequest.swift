import HubScoutCore
@testable import HubScoutCatalog

/// One catalog search as the tests write it: the filter's fields, a fit constraint and an offset
/// in one call, handed to `Catalog.search(_:fit:offset:)`.
struct SearchRequest {
    var filter: ModelFilter
    var fit: FitConstraint?
    var offset: Int

    init(text: String? = nil, task: String? = nil, author: String? = nil, library: String? = nil, license: String? = nil,
         tags: [String] = [], gated: Bool? = nil, sort: ModelSort? = nil, limit: Int = Catalog.defaultLimit, offset: Int = 0,
         fit: FitConstraint? = nil) {
        filter = ModelFilter(text: text, task: task, author: author, library: library, license: license, tags: tags,
                             gated: gated, sort: sort, limit: limit)
        self.fit = fit
        self.offset = offset
    }
}

extension Catalog {
    func search(_ request: SearchRequest) async throws(CatalogError) -> [CatalogModel] {
        try await search(request.filter, fit: request.fit, offset: request.offset)
    }

    func explain(_ request: SearchRequest) async throws(CatalogError) -> [String] {
        try await explain(request.filter, fit: request.fit)
    }
}
