import Hummingbird
import HubScoutCore

/// The Hub's error answers (hub-protocol §4.2), with the exact statuses, headers and texts clients key on.
enum HubErrorResponse {
    /// Missing or private repo, no token: 401 that does not reveal whether the repo exists.
    case authenticationRequired
    /// Missing or private repo, valid token: 404 RepoNotFound.
    case repoNotFound
    /// A token the server does not know.
    case invalidCredentials
    /// Gated repo file, no token.
    case gatedNeedsLogin(repo: String)
    /// Gated repo file, token without access; `base` is the server URL the message points to.
    case gatedNotAuthorized(repo: String, base: String)
    /// Missing file or folder at a commit.
    case entryNotFound(commit: String?)
    /// Unknown branch, tag or commit.
    case revisionNotFound(String)
    /// Malformed request.
    case badRequest(String)
    /// No such endpoint.
    case pageNotFound
    /// Wrong method for an endpoint.
    case methodNotAllowed
    /// A request body over `limit` bytes.
    case payloadTooLarge(limit: Int)
    /// The server cannot answer safely until its operator acts (e.g. an invalid sidecar): 503.
    case unavailable(String)
    /// An unexpected server-side failure: 500. The message must never name a filesystem path.
    case internalError(String)

    /// A `cursor` that is not one the server issued, or is out of range.
    static var invalidCursor: HubErrorResponse { .badRequest("Invalid cursor") }

    var status: HTTPResponse.Status {
        switch self {
        case .authenticationRequired, .invalidCredentials, .gatedNeedsLogin: .unauthorized
        case .gatedNotAuthorized: .forbidden
        case .repoNotFound, .entryNotFound, .revisionNotFound, .pageNotFound: .notFound
        case .badRequest: .badRequest
        case .methodNotAllowed: .methodNotAllowed
        case .payloadTooLarge: .contentTooLarge
        case .unavailable: .serviceUnavailable
        case .internalError: .internalServerError
        }
    }

    var code: String? {
        switch self {
        case .repoNotFound: "RepoNotFound"
        case .gatedNeedsLogin, .gatedNotAuthorized: "GatedRepo"
        case .entryNotFound: "EntryNotFound"
        case .revisionNotFound: "RevisionNotFound"
        default: nil
        }
    }

    var message: String {
        switch self {
        case .authenticationRequired: "Invalid username or password."
        case .repoNotFound: "Repository not found"
        case .invalidCredentials: "Invalid credentials in Authorization header"
        case let .gatedNeedsLogin(repo):
            "Access to model \(repo) is restricted. You must have access to it and be authenticated to access it. Please log in."
        case let .gatedNotAuthorized(repo, base):
            "Access to model \(repo) is restricted and you are not in the authorized list. Visit \(base)/\(repo) to ask for access."
        case .entryNotFound: "Entry not found"
        case let .revisionNotFound(rev): "Invalid rev id: \(rev)"
        case let .badRequest(message): message
        case .pageNotFound: "Sorry, we can't find the page you are looking for."
        case .methodNotAllowed: "Method not allowed"
        case let .payloadTooLarge(limit): "Request body is too large (limit \(limit) bytes)"
        case let .unavailable(message), let .internalError(message): message
        }
    }

    /// The response: `{"error": message}` plus `X-Error-Code`/`X-Error-Message` (and `X-Repo-Commit` for missing entries).
    func response(head: Bool = false) -> Response {
        var headers = HTTPFields()
        if let code { headers[HTTPHeaderName("X-Error-Code")!] = code }
        headers[HTTPHeaderName("X-Error-Message")!] = message
        if case .authenticationRequired = self {
            headers[.wwwAuthenticate] = "Bearer realm=\"Authentication required\", charset=\"UTF-8\""
        }
        if case let .entryNotFound(commit?) = self { headers[HubHeader.repoCommit] = commit }
        var object = OrderedObject()
        object.set("error", .string(message))
        return HubResponses.json(JSONWriter.write(object), status: status, headers: headers, head: head)
    }
}
