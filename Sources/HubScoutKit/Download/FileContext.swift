import Foundation
import HubScoutCore
import HubScoutNetwork

/// What the parts of one file share: who to ask, where to report, and the file's identity.
struct FileContext: Sendable {
    let client: HubClient
    let transport: any HTTPTransport
    let options: DownloadOptions
    let repo: RepoID
    let commit: CommitHash
    let path: SafeRelativePath
    let etag: BlobID
    let progress: ProgressTracker
    let emit: @Sendable (DownloadEvent) -> Void

    var authenticated: Bool { client.token != nil }
    var pageURL: String { client.environment.repoPageURL(repo) }

    func notice(_ message: String) { emit(.notice(path: path.value, message: message)) }

    /// A fresh HEAD of the file at the pinned commit.
    func headFile() async throws -> FileMetadata {
        try await client.fileMetadata(repo, revision: commit.value, path: path.value)
    }

    /// A GET for content: the token goes only to the Hub's origin (`HubEnvironment.authorization(for:token:)`
    /// decides, through `HubClient.request`, as for every other request), redirects
    /// are followed (the transport drops `Authorization` on a cross-origin hop), and there is no overall
    /// timeout (stall detection instead). A file of `bulkThreshold` bytes or more gets a connection of its own
    /// (`ConnectionUse.dedicated`); smaller ones share the pooled, multiplexed connections, where a burst of
    /// small files costs a round trip each instead of a handshake each.
    func contentRequest(url: String, headers: HTTPHeaders, fileSize: Int64) -> HTTPRequest {
        var request = client.request(.get, url: url, redirects: .follow, headers: headers, timeout: nil)
        request.timeout = nil
        request.connection = fileSize >= Self.bulkThreshold ? .dedicated : .shared
        return request
    }

    /// Files this large are bulk bytes: 8 MiB, past which a transfer is bandwidth-bound rather than latency-bound.
    static let bulkThreshold: Int64 = 8 << 20
}
