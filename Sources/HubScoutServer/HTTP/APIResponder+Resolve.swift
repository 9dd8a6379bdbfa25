import Foundation
import Hummingbird
import HubScoutCore

extension APIResponder {
    /// `HEAD|GET /{id}/resolve/{rev}/{path}`: regular files answer 200 (Range, ETag = git sha1); LFS files answer 302 to the
    /// file host with `X-Linked-Etag`/`X-Linked-Size`. Always `X-Repo-Commit` once the commit is known.
    func resolve(_ repository: StoredRepository, revision: String, path: String, _ exchange: Exchange) async throws -> Response {
        let id = repository.id.description
        guard exchange.identity.mayDownload(repository) else {
            let error: HubErrorResponse = exchange.identity.grant == nil
                ? .gatedNeedsLogin(repo: id) : .gatedNotAuthorized(repo: id, base: exchange.base)
            return error.response(head: exchange.head)
        }
        guard let commit = commit(for: revision, in: repository) else {
            return HubErrorResponse.revisionNotFound(revision).response(head: exchange.head)
        }
        let snapshot = try await storage.snapshot(of: repository, commit: commit)
        guard let file = snapshot.file(at: path) else {
            return HubErrorResponse.entryNotFound(commit: commit).response(head: exchange.head)
        }
        var headers = HTTPFields()
        headers[HubHeader.repoCommit] = commit
        if file.isLFS {
            guard let fileBase = state.fileHost?.base(requestHost: exchange.requestHost) else {
                return HubResponses.json(JSONWriter.write(.object(["error": .string("File host is not running")])), status: .serviceUnavailable)
            }
            let lifetime = configuration.redirectLifetime.isFinite
                ? min(max(0, configuration.redirectLifetime), HubServerConfiguration.maxRedirectLifetime) : 3600
            let expires = Int(Date().timeIntervalSince1970 + lifetime)
            let location = fileBase + signer.path(repo: repository.id, commit: commit, file: file.path, expires: expires)
            headers[HubHeader.linkedEtag] = "\"\(file.etag)\""
            headers[HubHeader.linkedSize] = String(file.size)
            headers[.eTag] = "\"\(file.gitBlobID)\""
            headers[.acceptRanges] = "bytes"
            headers[.cacheControl] = "no-store"
            return HubResponses.redirect(to: location, status: .found, headers: headers, head: exchange.head)
        }
        if let match = exchange.request.headers[.ifNoneMatch], match.replacingOccurrences(of: "W/", with: "")
            .trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) == file.etag {
            headers[.eTag] = "\"\(file.etag)\""
            return Response(status: .notModified, headers: headers, body: ResponseBody())
        }
        return try await FileServing.serve(file, request: exchange.request, context: exchange.context, headers: headers, etag: file.etag)
    }
}
