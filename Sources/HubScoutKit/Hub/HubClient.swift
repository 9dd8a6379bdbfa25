import Foundation
import HubScoutCore
import HubScoutNetwork

/// The Hub API client: search, model info, trees, refs, whoami, file metadata and ranged reads.
/// Every failure surfaces as a `HubError`.
public struct HubClient: Sendable {
    public let environment: HubEnvironment
    /// The token sent to the endpoint host (never to other hosts).
    public let token: ResolvedToken?
    public let transport: any HTTPTransport

    /// A client of `environment`'s Hub; `transport` defaults to libcurl with the environment's stall timeout.
    public init(environment: HubEnvironment = HubEnvironment(), token: ResolvedToken? = nil, transport: (any HTTPTransport)? = nil) {
        self.environment = environment
        self.token = token
        self.transport = transport ?? CurlTransport(configuration: TransportConfiguration(stallTimeout: environment.stallTimeout,
                                                                                              verbose: environment.verbose))
    }

    // MARK: - URLs

    /// `endpoint + path + ?query`, with query values form-encoded.
    package func url(_ path: String, query: [(String, String)] = []) -> String {
        guard !query.isEmpty else { return environment.endpoint + path }
        let encoded = query.map { "\(Self.encodeQuery($0.0))=\(Self.encodeQuery($0.1))" }.joined(separator: "&")
        return environment.endpoint + path + "?" + encoded
    }

    /// The download URL of a file: `/{repo}/resolve/{revision}/{path}`.
    public func resolveURL(repo: RepoID, revision: String, path: String) -> String {
        environment.endpoint + "/\(repo)/resolve/\(Self.encodeSegment(revision))/\(Self.encodePath(path))"
    }

    /// Percent-encodes a single path segment with no safe characters (revisions: `refs/pr/1` → `refs%2Fpr%2F1`).
    static func encodeSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlUnreservedSet) ?? text
    }

    /// Percent-encodes a file path, keeping `/`.
    static func encodePath(_ text: String) -> String {
        text.split(separator: "/", omittingEmptySubsequences: false).map { encodeSegment(String($0)) }.joined(separator: "/")
    }

    static func encodeQuery(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlUnreservedSet) ?? text
    }

    // MARK: - Requests

    /// True when `url` is on the endpoint's origin: the only place the token may go
    /// (`HubEnvironment.isEndpointOrigin`).
    public func isEndpointOrigin(_ url: String) -> Bool { environment.isEndpointOrigin(url) }

    /// A request, with the token only where `HubEnvironment.authorization(for:token:)` allows it (a
    /// `Link` or a redirect can name any host; none of them gets the token). An `Authorization` among
    /// `extra` is dropped: that decision is made in one place only.
    func request(_ method: HTTPMethod = .get, url: String, redirects: RedirectPolicy = .sameHostOnly,
                 headers extra: HTTPHeaders = [:], body: Data? = nil, timeout: Double? = 60) -> HTTPRequest {
        var headers = extra
        headers.remove("Authorization")
        if let authorization = environment.authorization(for: url, token: token) { headers.set("Authorization", authorization) }
        headers.set("X-Amzn-Trace-Id", UUID().uuidString.lowercased())
        return HTTPRequest(method: method, url: url, headers: headers, body: body, redirects: redirects, timeout: timeout)
    }

    /// Sends a request; transport failures and non-2xx answers become `HubError`s.
    func execute(_ request: HTTPRequest, repo: RepoID?, revision: String? = nil, path: String? = nil) async throws -> HTTPResponse {
        guard !environment.offline else { throw HubError.offline }
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch let error as TransportError {
            throw HubError.network(error)
        }
        guard response.isSuccess || (response.isRedirect && request.redirects != .follow) else {
            throw HubError.from(response, repo: repo?.description, revision: revision, path: path,
                                token: token, environment: environment)
        }
        return response
    }

    /// Decodes a JSON body, naming the URL on failure.
    func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse) throws -> T {
        do {
            return try SafeJSON.decode(type, from: response.body)
        } catch {
            throw HubError.invalidResponse(url: response.url, reason: "\(error)".prefix(300).description)
        }
    }

    /// Fetches one page of a listing.
    package func fetchPage<Element: Decodable & Sendable>(url: String, as: Element.Type, repo: String?, revision: String?, isFirst: Bool) async throws -> HubPage<Element> {
        let repoID = repo.flatMap { try? RepoID($0) }
        var pageRequest = request(url: url)
        // As huggingface_hub: the first page fails fast (so callers can fall back to the catalog);
        // later pages retry, since the listing is known to be reachable.
        if isFirst { pageRequest.retry = RetryPolicy(maxRetries: 1, baseDelay: 0.5, maxDelay: 0.5, maxRetryAfter: 5) }
        let response = try await execute(pageRequest, repo: repoID, revision: revision)
        let items = try decode([Element].self, from: response)
        var next: String?
        if let link = LinkHeader.url(in: response.headers["Link"], relation: "next") {
            // The next page is wherever the server says, but only over http(s) and never down from https;
            // `request` gives it the token only if it is on the endpoint's origin.
            do {
                next = try RedirectTarget.resolve(link, from: response.url)
            } catch {
                throw HubError.invalidResponse(url: response.url, reason: "the Link header's next page is not an http(s) URL")
            }
        }
        return HubPage(items: items, next: next)
    }
}

extension CharacterSet {
    /// RFC 3986 unreserved characters.
    static let urlUnreservedSet = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
