import Foundation
import HubScoutCore
import HubScoutNetwork

/// What the parts of one file share: who to ask, where to report, and the file's identity.
struct FileContext: Sendable {
    let client: HubClient
    let transport: any HTTPTransport
    let options: DownloadOptions
    let repo: RepoID
    let commit: String
    let path: SafeRelativePath
    let etag: String
    let progress: ProgressTracker
    let emit: @Sendable (DownloadEvent) -> Void

    var authenticated: Bool { client.token != nil }
    var pageURL: String { client.environment.repoPageURL(repo) }

    func notice(_ message: String) { emit(.notice(path: path.value, message: message)) }

    /// A fresh HEAD of the file at the pinned commit.
    func headFile() async throws -> FileMetadata {
        try await client.fileMetadata(repo, revision: commit, path: path.value)
    }

    /// True when `url` is on the Hub endpoint's host (same scheme, host and port): only there may the token go.
    func isEndpointHost(_ url: String) -> Bool {
        guard let target = URL(string: url), let endpoint = URL(string: client.environment.endpoint) else { return false }
        return target.scheme == endpoint.scheme && target.host == endpoint.host && target.port == endpoint.port
    }

    /// A GET for content: with the token on the Hub host, without it anywhere else; redirects followed
    /// (the transport drops `Authorization` on a cross-host hop); no overall timeout (stall detection instead).
    func contentRequest(url: String, headers: HTTPHeaders) -> HTTPRequest {
        if isEndpointHost(url) {
            var request = client.request(.get, url: url, redirects: .follow, headers: headers, timeout: nil)
            request.timeout = nil
            return request
        }
        var plain = headers
        plain.set("X-Amzn-Trace-Id", UUID().uuidString.lowercased())
        return HTTPRequest(method: .get, url: url, headers: plain, redirects: .follow, timeout: nil)
    }
}
