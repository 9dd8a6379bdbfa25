import Foundation
import Hummingbird
import HubScoutCore
import Logging

/// The API host: `/api/models…`, `/api/whoami-v2` and `/{id}/resolve/…`, answering as the Hub does (hub-protocol §2–§4).
struct APIResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let storage: any HubStorage
    let configuration: HubServerConfiguration
    let state: ServerState
    let signer: BlobURLSigner
    let logger: Logger

    /// Everything one request needs once routing is done.
    struct Exchange {
        let request: Request
        let context: BasicRequestContext
        let query: QueryItems
        let identity: RequestIdentity
        let policy: ServerPolicy
        /// The public URL when configured, else `http://<Host header>`, for absolute `Link` URLs and messages.
        let base: String
        /// The host name the client reached the API by (the `Host` header's, without the port), nil without one.
        let requestHost: String?
        var head: Bool { request.method == .head }
    }

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        do {
            return try await dispatch(request, context: context)
        } catch let error as StorageError {
            // the full description (with paths) goes to the operator's log only
            logger.error("storage error: \(error.description)")
            return HubErrorResponse(error).response(head: request.method == .head)
        } catch {
            logger.error("request failed: \(error)")
            return HubErrorResponse.internalError("Internal error").response(head: request.method == .head)
        }
    }

    private func dispatch(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let route = HubRoute(rawPath: request.uri.path)
        let head = request.method == .head
        if case .unknown = route { return HubErrorResponse.pageNotFound.response(head: head) }
        let policy = try await storage.policy()
        let identity = RequestIdentity(headers: request.headers, policy: policy)
        if identity == .invalid { return HubErrorResponse.invalidCredentials.response(head: head) }
        let exchange = Exchange(request: request, context: context, query: QueryItems(request.uri.query),
                                identity: identity, policy: policy, base: baseURL(of: request),
                                requestHost: Self.authority(of: request).flatMap(AdvertisedHosts.hostName(ofAuthority:)))
        switch route {
        case .listModels:
            guard request.method == .get || head else { return HubErrorResponse.methodNotAllowed.response(head: head) }
            return try await listModels(exchange)
        case .whoami:
            return whoami(exchange)
        case let .model(readings), let .resolve(readings):
            return try await repoRequest(readings, exchange)
        case .unknown:
            return HubErrorResponse.pageNotFound.response(head: head)
        }
    }

    /// Finds the repository one of the readings names (or an alias for it) and runs the action.
    private func repoRequest(_ readings: [HubRoute.RepoRequest], _ exchange: Exchange) async throws -> Response {
        let repositories = try await storage.repositories()
        let byID = Dictionary(repositories.map { ($0.id.description.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        guard let (repository, reading) = readings.lazy.compactMap({ r in byID[r.repoID.lowercased()].map { ($0, r) } }).first else {
            if let reading = readings.first(where: { exchange.policy.canonicalID(forAlias: $0.repoID) != nil }),
               let canonical = exchange.policy.canonicalID(forAlias: reading.repoID) {
                return aliasRedirect(reading, canonical: canonical, exchange)
            }
            return exchange.identity.hiddenRepoError.response(head: exchange.head)
        }
        guard exchange.identity.maySee(repository) else { return exchange.identity.hiddenRepoError.response(head: exchange.head) }
        let method = exchange.request.method
        switch reading.action {
        case let .info(revision):
            guard method == .get || method == .head else { return HubErrorResponse.methodNotAllowed.response(head: exchange.head) }
            return try await modelInfo(repository, revision: revision, exchange)
        case let .tree(revision, path):
            guard method == .get || method == .head else { return HubErrorResponse.methodNotAllowed.response(head: exchange.head) }
            return try await tree(repository, revision: revision, path: path, exchange)
        case let .pathsInfo(revision):
            guard method == .post else { return HubErrorResponse.methodNotAllowed.response(head: exchange.head) }
            return try await pathsInfo(repository, revision: revision, exchange)
        case .refs:
            guard method == .get || method == .head else { return HubErrorResponse.methodNotAllowed.response(head: exchange.head) }
            return refs(repository, exchange)
        case let .resolve(revision, path):
            guard method == .get || method == .head else { return HubErrorResponse.methodNotAllowed.response(head: exchange.head) }
            return try await resolve(repository, revision: revision, path: path, exchange)
        }
    }

    /// A renamed repository: relative 307 to the canonical id, query kept.
    private func aliasRedirect(_ reading: HubRoute.RepoRequest, canonical: String, _ exchange: Exchange) -> Response {
        let prefix: String
        if case .resolve = reading.action { prefix = "/" } else { prefix = "/api/models/" }
        var location = prefix + canonical + reading.rawSuffix
        if let query = exchange.request.uri.query, !query.isEmpty { location += "?" + query }
        return HubResponses.redirect(to: location, status: .temporaryRedirect, head: exchange.head)
    }

    /// The commit a revision names; no revision means the default branch.
    func commit(for revision: String?, in repository: StoredRepository) -> String? {
        guard let revision else { return repository.headCommit }
        if let commit = repository.resolve(revision: revision) { return commit }
        if revision == "main", repository.refs["main"] == nil { return repository.headCommit }
        return nil
    }

    /// The configured public URL; else `http://` + the request's Host header (falling back to the configured address).
    private func baseURL(of request: Request) -> String {
        if let base = configuration.publicAPIBase { return base }
        if let authority = Self.authority(of: request) { return "http://" + authority }
        return "http://\(AdvertisedHosts.bracketed(configuration.apiHost)):\(configuration.apiPort)"
    }

    /// The request's Host header when it is a plausible host[:port] (anything else is ignored, never echoed).
    static func authority(of request: Request) -> String? {
        guard let authority = request.head.authority, !authority.isEmpty, authority.count < 256,
              authority.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]_".contains($0)) }) else { return nil }
        return authority
    }

    /// `Link: <base+path?query&cursor=…>; rel="next"`.
    static func nextLink(base: String, path: String, query: QueryItems, cursor: PageCursor) -> String {
        let kept = query.rawRemoving(["cursor"])
        return "<\(base)\(path)?\(kept.isEmpty ? "" : kept + "&")cursor=\(cursor.encoded)>; rel=\"next\""
    }
}
