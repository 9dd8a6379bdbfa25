import HubScoutCore
import HubScoutNetwork

/// Everything that can go wrong talking to the Hub, each with a user-facing message and its own exit code.
public enum HubError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The repository does not exist or is private; `authenticated` says whether a token was sent.
    case repoNotFound(repo: String, authenticated: Bool)
    /// The repository is gated and this token (or no token) has no access; `origin` is where the token came from
    /// (nil: none sent, or not known), so the message can say which account's access is missing.
    case gated(repo: String, pageURL: String, authenticated: Bool, serverMessage: String?, origin: TokenOrigin? = nil)
    /// The token was rejected. `origin` is where it came from (nil: not known), so the message can say what
    /// to fix there; `tokensPage` is `<endpoint>/settings/tokens`, where a new one is made.
    case invalidToken(serverMessage: String?, origin: TokenOrigin? = nil, tokensPage: String? = nil)
    /// A request that needs a token was sent without one.
    case notLoggedIn(what: String)
    case revisionNotFound(repo: String, revision: String)
    case entryNotFound(repo: String, path: String, revision: String)
    /// 403 other than gating: the token lacks a permission.
    case forbidden(url: String, serverMessage: String?)
    case rateLimited(bucket: String?, retryAfter: Double?)
    case serverError(status: Int, url: String, serverMessage: String?, requestID: String?)
    case disabled(repo: String)
    /// An unexpected status.
    case unexpectedStatus(status: Int, url: String, serverMessage: String?)
    /// The response did not have the shape the protocol promises.
    case invalidResponse(url: String, reason: String)
    /// The connection failed.
    case network(TransportError)
    /// HF_HUB_OFFLINE is set.
    case offline

    public var description: String {
        switch self {
        case let .repoNotFound(repo, authenticated):
            return authenticated
                ? "repository '\(repo)' was not found; check the id (ORG/NAME), or whether your token can see this private repository"
                : "repository '\(repo)' was not found; check the id, or if it is private or gated log in first (hubscout login, or set HF_TOKEN)"
        case let .gated(repo, pageURL, authenticated, _, origin):
            return authenticated
                ? "'\(repo)' is a gated repository and your token\(origin.map { " from \($0)" } ?? "") has not been granted access; request access at \(pageURL) with that token's account (approval may take a while for manually reviewed repos)"
                : "'\(repo)' is a gated repository; log in (hubscout login, or set HF_TOKEN) with an account that has accepted its terms at \(pageURL)"
        case let .invalidToken(message, origin, page):
            return Self.rejectedTokenMessage(serverMessage: message, origin: origin, tokensPage: page ?? "your Hub's /settings/tokens page")
        case let .notLoggedIn(what):
            return "\(what) needs a token; run hubscout auth login or set HF_TOKEN"
        case let .revisionNotFound(repo, revision):
            return "revision '\(revision)' does not exist in '\(repo)'; use a branch, tag or commit sha (default: main)"
        case let .entryNotFound(repo, path, revision):
            return "file '\(path)' does not exist in '\(repo)' at revision '\(revision)'; list the files with hubscout info \(repo)"
        case let .forbidden(url, message):
            return "access denied to \(url)\(message.map { ": \($0)" } ?? ""); make sure your token has the right permissions (fine-grained tokens need read access to this repo)"
        case let .rateLimited(bucket, retryAfter):
            let wait = retryAfter.map { "; retry in \(Int($0.rounded(.up))) s" } ?? "; wait a few minutes"
            return "the Hub's rate limit\(bucket.map { " for '\($0)' requests" } ?? "") was reached\(wait) (logging in raises the limit)"
        case let .serverError(status, url, message, requestID):
            return "the Hub answered HTTP \(status) for \(url)\(message.map { ": \($0)" } ?? "") after retries\(requestID.map { " (request id \($0))" } ?? ""); try again later"
        case let .disabled(repo):
            return "repository '\(repo)' has been disabled by its owner or the Hub"
        case let .unexpectedStatus(status, url, message):
            return "unexpected HTTP \(status) from \(url)\(message.map { ": \($0)" } ?? "")"
        case let .invalidResponse(url, reason):
            return "the response from \(url) was not understood: \(reason); is HF_ENDPOINT a Hugging Face Hub?"
        case let .network(error):
            return error.description
        case .offline:
            return "HF_HUB_OFFLINE is set, so hubscout makes no network requests; unset it (or set HF_HUB_OFFLINE=0) to reach the Hub"
        }
    }


    /// What to do about a rejected token depends on where it came from: a variable wins over any stored
    /// token, so logging in again cannot fix a bad `HF_TOKEN`.
    static func rejectedTokenMessage(serverMessage: String?, origin: TokenOrigin?, tokensPage: String) -> String {
        let head = "the Hub rejected your token" + (origin.map { " from \($0)" } ?? "") + (serverMessage.map { ": \($0)" } ?? "")
        let create = "create a new one at \(tokensPage)"
        guard let origin else { return "\(head); \(create) and run hubscout auth login (if HF_TOKEN is set, fix or unset it: it wins)" }
        switch origin.source {
        case .environment, .legacyEnvironment:
            let variable = origin.source.rawValue
            return "\(head); \(variable) takes precedence over any stored token, so logging in again will not help: "
                + "set \(variable) to a valid token (\(create)), or unset it to use the stored token"
        case .tokenPathFile:
            return "\(head); put a valid token in that file (\(create); hubscout auth login writes it there), or unset HF_TOKEN_PATH"
        case .tokenFile:
            return "\(head); \(create) and run hubscout auth login, or switch to another stored token (hubscout auth list, hubscout auth switch)"
        case .commandLine:
            return "\(head); pass a valid token with --token (\(create))"
        case .standardInput:
            return "\(head); nothing was stored: check you pasted the whole token, or \(create)"
        }
    }

    /// Maps a non-success response to an error as `from(_:repo:revision:path:authenticated:pageURL:)` does, with
    /// the token that was sent: a rejected token's error names where it came from and the `HF_ENDPOINT`
    /// page that makes new ones.
    public static func from(_ response: HTTPResponse, repo: String?, revision: String? = nil, path: String? = nil,
                            token: ResolvedToken?, environment: HubEnvironment) -> HubError {
        let error = from(response, repo: repo, revision: revision, path: path, authenticated: token != nil,
                         pageURL: repo.map { "\(environment.endpoint)/\($0)" })
        switch error {
        case let .invalidToken(message, _, _):
            return .invalidToken(serverMessage: message, origin: token?.origin, tokensPage: environment.tokensPage)
        case let .gated(repo, pageURL, authenticated, message, _):
            return .gated(repo: repo, pageURL: pageURL, authenticated: authenticated, serverMessage: message, origin: token?.origin)
        default:
            return error
        }
    }

    /// Maps a non-success response to an error, following huggingface_hub's order:
    /// error code headers first, then the status (a 401 on repo URLs means "not found or private").
    public static func from(_ response: HTTPResponse, repo: String?, revision: String? = nil, path: String? = nil,
                            authenticated: Bool, pageURL: String? = nil) -> HubError {
        let code = response.headers["X-Error-Code"]
        let message = response.headers["X-Error-Message"] ?? bodyMessage(response)
        let repoName = repo ?? "?"
        switch code {
        case "RevisionNotFound": return .revisionNotFound(repo: repoName, revision: revision ?? "?")
        case "EntryNotFound": return .entryNotFound(repo: repoName, path: path ?? "?", revision: revision ?? "main")
        case "GatedRepo": return .gated(repo: repoName, pageURL: pageURL ?? repoName, authenticated: authenticated, serverMessage: message)
        case "RepoNotFound": return .repoNotFound(repo: repoName, authenticated: authenticated)
        default: break
        }
        if message == "Access to this resource is disabled." { return .disabled(repo: repoName) }
        switch response.status {
        case 401:
            if message == "Invalid credentials in Authorization header" { return .invalidToken(serverMessage: message) }
            if repo != nil { return .repoNotFound(repo: repoName, authenticated: authenticated) }
            return authenticated ? .invalidToken(serverMessage: message) : .notLoggedIn(what: "this request")
        case 403: return .forbidden(url: response.url, serverMessage: message)
        case 404 where repo != nil: return .repoNotFound(repo: repoName, authenticated: authenticated)
        case 429:
            let rateLimit = response.headers["RateLimit"].flatMap(RateLimitHeader.init)
            return .rateLimited(bucket: rateLimit?.bucket, retryAfter: RetryPolicy.serverRequestedDelay(response.headers))
        case 500...599:
            return .serverError(status: response.status, url: response.url, serverMessage: message,
                                requestID: response.headers["X-Request-Id"])
        default:
            return .unexpectedStatus(status: response.status, url: response.url, serverMessage: message)
        }
    }

    /// The `error` member of a JSON error body, or a short plain-text body.
    private static func bodyMessage(_ response: HTTPResponse) -> String? {
        guard !response.body.isEmpty, response.body.count < 4096 else { return nil }
        if let json = try? SafeJSON.decode(JSONValue.self, from: response.body), let error = json["error"] {
            return error.stringValue ?? error.stringList?.joined(separator: "; ")
        }
        let text = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}

import Foundation
