import Foundation
import HubScoutCore

/// A `ByteRangeReader` over a file on the Hub: each read is one HTTP Range request. The first goes through the
/// Hub's resolve URL; later ones go straight where it redirected (an LFS file's CDN), a round trip less each.
public struct RemoteFileReader: ByteRangeReader {
    public let client: HubClient
    public let repo: RepoID
    public let revision: String
    public let path: String
    public let size: Int64?
    private let location = LocationMemo()

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
        let read = try await client.readRange(repo, revision: revision, path: path, offset: offset, length: Int(clipped), at: location.value)
        if location.value != read.location {
            location.value = read.location
            FileOrigins.remember(read.location, environment: client.environment)
        }
        return read.data
    }
}

/// Where the last read of one file was answered from; shared by the copies of a reader.
private final class LocationMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String?

    var value: String? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
