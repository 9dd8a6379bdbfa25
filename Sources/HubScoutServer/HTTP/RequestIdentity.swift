import Hummingbird

/// Who is asking, from the `Authorization` header and the sidecar's tokens.
enum RequestIdentity: Equatable {
    /// No `Authorization` header.
    case anonymous
    /// A known token.
    case user(token: String, grant: TokenGrant)
    /// A header the server cannot accept (unknown token, other scheme).
    case invalid

    /// Reads `Authorization: Bearer <token>`.
    init(headers: HTTPFields, policy: ServerPolicy) {
        guard let header = headers[.authorization] else { self = .anonymous; return }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { self = .invalid; return }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        guard let grant = policy.tokens[token] else { self = .invalid; return }
        self = .user(token: token, grant: grant)
    }

    /// The grant, when the token is known.
    var grant: TokenGrant? {
        if case let .user(_, grant) = self { return grant }
        return nil
    }

    /// Whether this caller may see `repository` at all (private repos need a grant).
    func maySee(_ repository: StoredRepository) -> Bool {
        guard repository.isPrivate else { return true }
        return grant?.maySeePrivate(repository.id.description) ?? false
    }

    /// Whether this caller may download files of `repository` (gated repos need a grant).
    func mayDownload(_ repository: StoredRepository) -> Bool {
        guard repository.gated.isGated else { return true }
        return grant?.mayDownloadGated(repository.id.description) ?? false
    }

    /// The error for a repository this caller may not see (or that does not exist): 401 anonymous, 404 with a token.
    var hiddenRepoError: HubErrorResponse { grant == nil ? .authenticationRequired : .repoNotFound }
}

import Foundation
