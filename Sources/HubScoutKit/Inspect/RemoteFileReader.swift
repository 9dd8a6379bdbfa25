import Foundation
import HubScoutCore

/// A `ByteRangeReader` over a file on the Hub: each read is one HTTP Range request.
public struct RemoteFileReader: ByteRangeReader {
    public let client: HubClient
    public let repo: RepoID
    public let revision: String
    public let path: String
    public let size: Int64?

    public init(client: HubClient, repo: RepoID, revision: String, path: String, size: Int64?) {
        self.client = client
        self.repo = repo
        self.revision = revision
        self.path = path
        self.size = size
    }

    public func read(offset: Int64, length: Int) async throws -> Data {
        if let size, offset >= size { return Data() }
        let clipped = size.map { min(Int64(length), $0 - offset) } ?? Int64(length)
        return try await client.readRange(repo, revision: revision, path: path, offset: offset, length: Int(clipped))
    }
}
